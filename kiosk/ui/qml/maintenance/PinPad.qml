// Staff PIN pad (reached only by the hidden gesture): masked dots, digits, clear, cancel, and
// the lock-out message. Chinese first, English beneath: staff may be either.
import QtQuick
import "../components"

Rectangle {
    id: pad
    objectName: "pinPad"
    color: theme.colours.background
    readonly property real key: Math.min(width / 4.2, theme.touchTarget * 1.6)

    MouseArea { anchors.fill: parent }  // nothing underneath receives taps while the pad is up

    Column {
        anchors.centerIn: parent
        width: Math.min(parent.width - theme.spacing * 2, pad.key * 3 + theme.spacing * 4)
        spacing: theme.spacing

        Text {
            width: parent.width
            text: maintenance.zh("svc.pin.title", "") + "\n" + maintenance.en("svc.pin.title", "")
            font.family: theme.fontFamily; font.pixelSize: theme.titleSize; font.bold: true
            color: theme.colours.text
            horizontalAlignment: Text.AlignHCenter
        }

        Row {
            objectName: "pinDots"
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: theme.spacing / 2
            height: theme.mm * 8
            Repeater {
                model: Math.max(6, maintenance.pinLength)
                Rectangle {
                    width: theme.mm * 6; height: width; radius: width / 2
                    anchors.verticalCenter: parent.verticalCenter
                    color: index >= maintenance.pinLength ? "transparent" : theme.colours.text
                    border.width: 2; border.color: theme.colours.border
                }
            }
        }

        Text {
            objectName: "pinMessage"
            width: parent.width
            text: maintenance.pinMessageZh + "\n" + maintenance.pinMessageEn
            font.family: theme.fontFamily; font.pixelSize: theme.bodySize
            color: maintenance.pinLocked || !maintenance.pinEnabled ? theme.colours.accent
                                                                     : theme.colours.text
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
        }

        Grid {
            anchors.horizontalCenter: parent.horizontalCenter
            columns: 3
            spacing: theme.spacing / 2
            visible: maintenance.pinEnabled
            Repeater {
                model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "C", "0", "<"]
                KButton {
                    objectName: modelData === "C" ? "pinClear" : modelData === "<" ? "pinDelete"
                                                               : "pinDigit" + modelData
                    width: pad.key; height: pad.key * 0.75
                    kind: modelData === "C" || modelData === "<" ? "secondary" : "primary"
                    enabled: !maintenance.pinBusy && !maintenance.pinLocked
                    text: modelData === "C" ? maintenance.zh("svc.pin.clear", "")
                          : modelData === "<" ? maintenance.zh("svc.pin.delete", "") : modelData
                    subText: modelData === "C" ? maintenance.en("svc.pin.clear", "")
                             : modelData === "<" ? maintenance.en("svc.pin.delete", "") : ""
                    onActivated: modelData === "C" ? maintenance.pinClear()
                                 : modelData === "<" ? maintenance.pinDelete()
                                 : maintenance.pinDigit(modelData)
                }
            }
        }

        Row {
            anchors.horizontalCenter: parent.horizontalCenter
            spacing: theme.spacing
            KButton {
                objectName: "pinCancel"
                width: pad.key * 1.5
                kind: "secondary"
                text: maintenance.zh("svc.cancel", ""); subText: maintenance.en("svc.cancel", "")
                onActivated: maintenance.close()
            }
            KButton {
                objectName: "pinOk"
                width: pad.key * 1.5
                visible: maintenance.pinEnabled
                enabled: maintenance.pinLength > 0 && !maintenance.pinBusy && !maintenance.pinLocked
                text: maintenance.zh("svc.pin.ok", ""); subText: maintenance.en("svc.pin.ok", "")
                onActivated: maintenance.pinSubmit()
            }
        }
    }
}
