// Body text of a flow screen.
import QtQuick
import QtQuick.Layouts

Text {
    Layout.fillWidth: true
    font.family: theme.fontFamily; font.pixelSize: theme.bodySize
    color: theme.colours.text
    wrapMode: Text.Wrap
}
