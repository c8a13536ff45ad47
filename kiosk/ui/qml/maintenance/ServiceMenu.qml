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
        objectName: "menuFlick"
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

            // Voice volume (live, kept across restarts) and, where the platform allows it,
            // screen brightness; otherwise a sentence saying why there is no control.
            Rectangle {
                width: parent.width
                height: levels.height + menu.gap * 2
                color: theme.colours.surface
                radius: theme.radius
                Column {
                    id: levels
                    x: menu.gap; y: menu.gap
                    width: parent.width - menu.gap * 2
                    spacing: menu.gap
                    // Label, then four equal cells (−, value, +, mute): never wider than the menu.
                    readonly property real labelWidth: width * 0.24
                    readonly property real cell: (width - labelWidth - 4 * menu.gap / 2) / 4

                    Row {
                        objectName: "volumeRow"
                        width: parent.width
                        spacing: menu.gap / 2
                        Text {
                            width: levels.labelWidth
                            anchors.verticalCenter: parent.verticalCenter
                            text: maintenance.zh("svc.volume.title", "") + "\n" + maintenance.en("svc.volume.title", "")
                            font.family: theme.fontFamily; font.pixelSize: theme.smallSize
                            color: theme.colours.text
                        }
                        KButton {
                            objectName: "volumeDown"
                            width: levels.cell
                            kind: "secondary"
                            text: "− " + maintenance.zh("svc.volume.down", ""); subText: maintenance.en("svc.volume.down", "")
                            enabled: maintenance.volumePercent > 0
                            onActivated: maintenance.volumeDown()
                        }
                        Text {
                            objectName: "volumeValue"
                            width: levels.cell
                            anchors.verticalCenter: parent.verticalCenter
                            horizontalAlignment: Text.AlignHCenter
                            text: maintenance.muted
                                  ? maintenance.zh("svc.volume.muted", "") + "\n" + maintenance.en("svc.volume.muted", "")
                                  : maintenance.volumePercent + "%"
                            font.family: theme.fontFamily; font.pixelSize: theme.bodySize; font.bold: true
                            color: maintenance.muted ? theme.colours.accent : theme.colours.text
                        }
                        KButton {
                            objectName: "volumeUp"
                            width: levels.cell
                            kind: "secondary"
                            text: "+ " + maintenance.zh("svc.volume.up", ""); subText: maintenance.en("svc.volume.up", "")
                            enabled: maintenance.volumePercent < 100 || maintenance.muted
                            onActivated: maintenance.volumeUp()
                        }
                        KButton {
                            objectName: "volumeMute"
                            width: levels.cell
                            kind: maintenance.muted ? "primary" : "secondary"
                            readonly property string key: maintenance.muted ? "svc.volume.unmute" : "svc.volume.mute"
                            text: maintenance.zh(key, ""); subText: maintenance.en(key, "")
                            onActivated: maintenance.toggleMute()
                        }
                    }

                    Row {
                        objectName: "brightnessRow"
                        width: parent.width
                        spacing: menu.gap / 2
                        Text {
                            width: levels.labelWidth
                            anchors.verticalCenter: parent.verticalCenter
                            text: maintenance.zh("svc.brightness.title", "") + "\n" + maintenance.en("svc.brightness.title", "")
                            font.family: theme.fontFamily; font.pixelSize: theme.smallSize
                            color: theme.colours.text
                        }
                        KButton {
                            objectName: "brightnessDown"
                            width: levels.cell
                            visible: maintenance.brightnessAdjustable
                            kind: "secondary"
                            text: "− " + maintenance.zh("svc.volume.down", ""); subText: maintenance.en("svc.volume.down", "")
                            onActivated: maintenance.brightnessDown()
                        }
                        Text {
                            objectName: "brightnessValue"
                            visible: maintenance.brightnessAdjustable
                            width: levels.cell
                            anchors.verticalCenter: parent.verticalCenter
                            horizontalAlignment: Text.AlignHCenter
                            text: maintenance.brightnessPercent + "%"
                            font.family: theme.fontFamily; font.pixelSize: theme.bodySize; font.bold: true
                            color: theme.colours.text
                        }
                        KButton {
                            objectName: "brightnessUp"
                            width: levels.cell
                            visible: maintenance.brightnessAdjustable
                            kind: "secondary"
                            text: "+ " + maintenance.zh("svc.volume.up", ""); subText: maintenance.en("svc.volume.up", "")
                            onActivated: maintenance.brightnessUp()
                        }
                        Text {
                            objectName: "brightnessNote"
                            visible: !maintenance.brightnessAdjustable
                            width: parent.width - levels.labelWidth - parent.spacing
                            anchors.verticalCenter: parent.verticalCenter
                            text: maintenance.brightnessNoteZh + "\n" + maintenance.brightnessNoteEn
                            font.family: theme.fontFamily; font.pixelSize: theme.smallSize
                            color: theme.colours.muted
                            wrapMode: Text.Wrap
                        }
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
