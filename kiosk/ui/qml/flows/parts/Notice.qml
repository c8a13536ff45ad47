// A framed message inside the flow (never a dialog): warnings and errors in plain words.
import QtQuick
import QtQuick.Layouts

Rectangle {
    id: notice
    property alias text: label.text
    property string tone: "warning"   // warning | error | success | info
    Layout.fillWidth: true
    visible: text.length > 0
    implicitHeight: label.implicitHeight + theme.spacing * 2
    radius: theme.radius
    color: theme.colours.surface
    border.width: Math.max(3, theme.mm)
    border.color: tone === "error" ? theme.colours.accent
                : tone === "success" ? theme.colours.success
                : tone === "info" ? theme.colours.border : theme.colours.warning
    Text {
        id: label
        objectName: notice.objectName + "Text"
        anchors.fill: parent
        anchors.margins: theme.spacing
        font.family: theme.fontFamily; font.pixelSize: theme.bodySize; font.bold: true
        color: notice.tone === "error" ? theme.colours.accent
             : notice.tone === "success" ? theme.colours.success
             : notice.tone === "info" ? theme.colours.text : theme.colours.warning
        wrapMode: Text.Wrap
        verticalAlignment: Text.AlignVCenter
    }
}
