// A text field's frame, with the buttons' focus ring (KButton) while the field has the focus:
// a keypad or keyboard user sees where the letters go. Used as a field's `background`, with
// `shown: parent.focusShown` (a background's parent is its field).
import QtQuick

Rectangle {
    property bool shown: false
    readonly property real ringWidth: Math.max(5, theme.mm * 1.5)
    color: theme.colours.surface
    radius: theme.radius
    border.color: shown ? theme.colours.focus : theme.colours.border
    border.width: shown ? ringWidth : 2
    Rectangle {
        objectName: "focusRing"
        visible: parent.shown
        anchors.fill: parent
        anchors.margins: parent.ringWidth
        radius: Math.max(0, parent.radius - parent.ringWidth / 2)
        color: "transparent"
        border.width: Math.max(2, theme.mm * 0.6)
        border.color: theme.colours.text
    }
}
