// A scrolled list of buttons: the buttons take focus themselves (a focused button scrolls into
// view), and the ScrollHint shows that there is more; its bar has a gutter of its own.
import QtQuick

Flickable {
    id: list
    clip: true
    boundsBehavior: Flickable.StopAtBounds
    contentWidth: width - hint.barWidth - theme.spacing / 2
    ScrollHint { id: hint; view: list }
}
