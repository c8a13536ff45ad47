// Says that a view goes on below (or above): a scroll bar at the right edge, shown whenever the
// content is taller than the view (not only while it moves), and "▼ 向下还有更多" at the bottom
// edge while there is more below. Words and shape, never colour alone.
import QtQuick

Item {
    id: hint
    required property Flickable view
    parent: view  // over the view, not scrolled with its content
    anchors.fill: parent
    z: 9
    readonly property bool scrolls: view.contentHeight > view.height + 1
    readonly property real barWidth: Math.max(6, theme.mm * 2.5)
    visible: scrolls

    Rectangle {
        objectName: "scrollBar"
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.bottom: more.visible ? more.top : parent.bottom
        width: hint.barWidth
        radius: width / 2
        color: theme.colours.background
        border.color: theme.colours.border
        border.width: 1
        Rectangle {
            objectName: "scrollThumb"
            width: parent.width
            radius: width / 2
            y: Math.max(0, Math.min(parent.height - height, hint.view.visibleArea.yPosition * parent.height))
            height: Math.max(theme.mm * 8, hint.view.visibleArea.heightRatio * parent.height)
            color: theme.colours.primary
        }
    }
    Rectangle {
        id: more
        objectName: "moreBelow"
        anchors.left: parent.left; anchors.right: parent.right; anchors.bottom: parent.bottom
        visible: hint.view.contentY + hint.view.height < hint.view.contentHeight - 1
        height: moreText.implicitHeight + theme.spacing / 2
        color: theme.colours.surface
        border.color: theme.colours.border
        Text {
            id: moreText
            anchors.centerIn: parent
            text: "▼ " + qsTrId("flow.more_below")
            font.family: theme.fontFamily; font.pixelSize: theme.smallSize; font.bold: true
            color: theme.colours.primary
        }
    }
}
