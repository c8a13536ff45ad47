// "Need more time?": covers the screen while the idle monitor counts down.
import QtQuick
import QtQuick.Layouts

Rectangle {
    id: prompt
    objectName: "idlePrompt"
    visible: idle.prompting
    color: "#CC1A1F2B"
    MouseArea { anchors.fill: parent }   // swallow taps on the screen below
    // Keys go to the prompt while it shows (any key also answers it: the idle monitor sees it).
    onVisibleChanged: if (visible) moreButton.forceActiveFocus()
    Component.onCompleted: if (visible) moreButton.forceActiveFocus()  // made while prompting

    Rectangle {
        anchors.centerIn: parent
        width: parent.width * 0.8
        height: content.implicitHeight + theme.spacing * 4
        radius: theme.radius
        color: theme.colours.surface
        ColumnLayout {
            id: content
            anchors.fill: parent
            anchors.margins: theme.spacing * 2
            spacing: theme.spacing * 1.5
            Text {
                Layout.fillWidth: true
                text: qsTrId("idle.title")
                font.family: theme.fontFamily; font.pixelSize: theme.titleSize; font.bold: true
                color: theme.colours.text
                horizontalAlignment: Text.AlignHCenter; wrapMode: Text.Wrap
            }
            Text {
                objectName: "idleCountdown"
                Layout.fillWidth: true
                text: qsTrId("idle.body").arg(idle.remaining)
                font.family: theme.fontFamily; font.pixelSize: theme.bodySize
                color: theme.colours.text
                horizontalAlignment: Text.AlignHCenter; wrapMode: Text.Wrap
            }
            KButton {
                id: moreButton
                objectName: "idleMoreButton"
                Layout.fillWidth: true
                text: qsTrId("idle.more")
                onActivated: idle.extend()
            }
            KButton {
                objectName: "idleDoneButton"
                Layout.fillWidth: true
                kind: "secondary"
                text: qsTrId("idle.done")
                onActivated: shell.goHome()
            }
        }
    }
}
