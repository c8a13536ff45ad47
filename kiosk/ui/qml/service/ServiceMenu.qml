// The staff service menu: device status at a glance and maintenance actions. Closes itself
// after [service] menu_timeout_s without a touch (timer in Python) and drops back to home.
import QtQuick
import QtQuick.Controls.Basic
import "../components"

Rectangle {
    id: menu
    objectName: "serviceMenu"
    color: theme.colours.background
    property bool confirmingExit: false
    readonly property real gap: theme.spacing / 2

    function both(key) { return maintenance.zh(key, "") + "  " + maintenance.en(key, "") }

    MouseArea { anchors.fill: parent }

    Flickable {
        anchors.fill: parent
        anchors.margins: menu.gap
        contentHeight: content.height
        clip: true
        Column {
            id: content
            width: parent.width
            spacing: menu.gap

            Row {
                width: parent.width
                Text {
                    width: parent.width - closeButton.width
                    anchors.verticalCenter: parent.verticalCenter
                    text: menu.both("svc.menu.title")
                    font.family: theme.fontFamily; font.pixelSize: theme.titleSize; font.bold: true
                    color: theme.colours.text
                }
                KButton {
                    id: closeButton
                    objectName: "menuClose"
                    kind: "secondary"
                    text: maintenance.zh("svc.menu.close", ""); subText: maintenance.en("svc.menu.close", "")
                    onActivated: maintenance.close()
                }
            }
            Text {
                width: parent.width
                text: maintenance.zh("svc.menu.autoclose", maintenance.menuTimeoutS) + " · "
                      + maintenance.en("svc.menu.autoclose", maintenance.menuTimeoutS)
                font.family: theme.fontFamily; font.pixelSize: theme.smallSize
                color: theme.colours.muted
                wrapMode: Text.Wrap
            }

            // Status at a glance: one line per device or link, red when it needs attention.
            Rectangle {
                width: parent.width
                height: statusColumn.height + menu.gap * 2
                color: theme.colours.surface
                radius: theme.radius
                Column {
                    id: statusColumn
                    x: menu.gap; y: menu.gap
                    width: parent.width - menu.gap * 2
                    Repeater {
                        model: maintenance.statusRows
                        Row {
                            objectName: "status_" + modelData.key
                            width: statusColumn.width
                            height: Math.max(labelText.implicitHeight, valueText.implicitHeight) + 4
                            Text {
                                id: labelText
                                width: parent.width * 0.45
                                text: modelData.labelZh + " " + modelData.labelEn
                                font.family: theme.fontFamily; font.pixelSize: theme.smallSize
                                color: theme.colours.muted
                                elide: Text.ElideRight
                            }
                            Text {
                                id: valueText
                                objectName: "statusValue_" + modelData.key
                                width: parent.width * 0.55
                                text: (modelData.ok ? "" : "⚠ ") + modelData.value
                                font.family: theme.fontFamily; font.pixelSize: theme.smallSize
                                font.bold: !modelData.ok
                                color: modelData.ok ? theme.colours.text : theme.colours.accent
                                wrapMode: Text.Wrap
                            }
                        }
                    }
                }
            }

            Text {
                objectName: "menuNotice"
                width: parent.width
                visible: text.length > 1
                text: maintenance.noticeZh + "\n" + maintenance.noticeEn
                font.family: theme.fontFamily; font.pixelSize: theme.bodySize; font.bold: true
                color: theme.colours.primary
                wrapMode: Text.Wrap
            }

            Grid {
                id: actions
                width: parent.width
                columns: 3
                spacing: menu.gap
                readonly property real cell: (width - 2 * spacing) / 3
                Repeater {
                    model: [
                        ["actionTestPage", "svc.action.test_page", "printTestPage"],
                        ["actionNetwork", "svc.action.network", "networkCheck"],
                        ["actionSync", "svc.action.sync", "syncConfig"],
                        ["actionOutbox", "svc.action.outbox", "sendOutbox"],
                        ["actionLog", "svc.action.log", "showLog"],
                        ["actionCard", "svc.action.card", "readTestCard"],
                        ["actionVoice", "svc.action.voice", "voiceTest"],
                        ["actionRefresh", "svc.action.refresh", "refresh"],
                        ["actionRestart", "svc.action.restart", "restartApp"],
                        ["actionExit", "svc.action.exit", ""]
                    ]
                    KButton {
                        objectName: modelData[0]
                        width: actions.cell
                        kind: modelData[2] === "" || modelData[2] === "restartApp" ? "danger" : "primary"
                        text: maintenance.zh(modelData[1], ""); subText: maintenance.en(modelData[1], "")
                        onActivated: modelData[2] === "" ? (menu.confirmingExit = true)
                                                         : maintenance[modelData[2]]()
                    }
                }
            }

            Column {
                width: parent.width
                visible: maintenance.previewUrl !== ""
                spacing: menu.gap / 2
                Text {
                    text: menu.both("svc.preview")
                    font.family: theme.fontFamily; font.pixelSize: theme.smallSize
                    color: theme.colours.muted
                }
                Image {
                    objectName: "testPagePreview"
                    source: maintenance.previewUrl
                    width: Math.min(parent.width, sourceSize.width)
                    fillMode: Image.PreserveAspectFit
                    cache: false
                }
            }

            Rectangle {
                width: parent.width
                visible: maintenance.logText !== ""
                height: logView.implicitHeight + menu.gap
                color: theme.colours.text
                radius: theme.radius / 2
                Text {
                    id: logView
                    objectName: "logLines"
                    x: menu.gap / 2; y: menu.gap / 2
                    width: parent.width - menu.gap
                    text: maintenance.logText
                    font.family: "monospace"; font.pixelSize: Math.max(10, theme.smallSize * 0.6)
                    color: theme.colours.surface
                    wrapMode: Text.WrapAnywhere
                }
            }
        }
    }

    // Second confirmation before leaving the kiosk for the desktop.
    Rectangle {
        objectName: "exitConfirm"
        anchors.fill: parent
        visible: menu.confirmingExit
        color: "#CC1A1F2B"
        MouseArea { anchors.fill: parent }
        Column {
            anchors.centerIn: parent
            width: parent.width * 0.8
            spacing: theme.spacing
            Text {
                width: parent.width
                text: maintenance.zh("svc.exit.confirm", "") + "\n" + maintenance.en("svc.exit.confirm", "")
                font.family: theme.fontFamily; font.pixelSize: theme.bodySize; font.bold: true
                color: theme.colours.onPrimary
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
            }
            Row {
                anchors.horizontalCenter: parent.horizontalCenter
                spacing: theme.spacing
                KButton {
                    objectName: "exitNo"
                    kind: "secondary"
                    text: maintenance.zh("svc.cancel", ""); subText: maintenance.en("svc.cancel", "")
                    onActivated: menu.confirmingExit = false
                }
                KButton {
                    objectName: "exitYes"
                    kind: "danger"
                    text: maintenance.zh("svc.exit.yes", ""); subText: maintenance.en("svc.exit.yes", "")
                    onActivated: { menu.confirmingExit = false; maintenance.exitToDesktop() }
                }
            }
        }
    }
}
