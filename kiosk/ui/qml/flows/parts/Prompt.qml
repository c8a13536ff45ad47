// The question of a screen: large, the first thing read.
import QtQuick
import QtQuick.Layouts

Text {
    Layout.fillWidth: true
    font.family: theme.fontFamily; font.pixelSize: theme.titleSize; font.bold: true
    color: theme.colours.primary
    wrapMode: Text.Wrap
}
