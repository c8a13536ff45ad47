// A scrolled page of text (a guide, a report's steps) that keys can read too: it takes focus
// on Tab, Up/Down and PageUp/PageDown scroll it, and at either end the key moves focus on. The
// ScrollHint shows that it goes on, in its own gutter.
import QtQuick

Flickable {
    id: flick
    activeFocusOnTab: true
    clip: true
    boundsBehavior: Flickable.StopAtBounds
    contentWidth: width - hint.barWidth - theme.spacing / 2
    ScrollHint { id: hint; view: flick }
    readonly property bool focusShown: activeFocus && inputMode.keys

    function scrollBy(dy) {
        var top = Math.max(0, Math.min(contentHeight - height, contentY + dy))
        if (Math.abs(top - contentY) < 1)
            return false
        contentY = top
        return true
    }
    Keys.onPressed: (event) => {
        var line = theme.touchTarget
        if (event.key === Qt.Key_Down) event.accepted = scrollBy(line)
        else if (event.key === Qt.Key_Up) event.accepted = scrollBy(-line)
        else if (event.key === Qt.Key_PageDown) event.accepted = scrollBy(height * 0.9)
        else if (event.key === Qt.Key_PageUp) event.accepted = scrollBy(-height * 0.9)
    }

    Rectangle {
        parent: flick  // over the view, not scrolled with the content
        anchors.fill: parent
        z: 10
        visible: flick.focusShown
        color: "transparent"
        radius: theme.radius
        border.width: Math.max(4, theme.mm * 1.2)
        border.color: theme.colours.focus
    }
}
