// Placeholder for a flow whose screens are not built yet: says so and offers the way out.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    id: soon
    objectName: "comingSoonScreen"
    property string screenName: "soon"
    property string entry: ""
    ColumnLayout {
        anchors.fill: parent
        anchors.margins: theme.spacing * 3
        spacing: theme.spacing * 2
        Text {
            Layout.fillWidth: true
            text: qsTrId("entry." + soon.entry)
            font.family: theme.fontFamily; font.pixelSize: theme.titleSize; font.bold: true
            color: theme.colours.primary
            horizontalAlignment: Text.AlignHCenter; wrapMode: Text.Wrap
        }
        Text {
            Layout.fillWidth: true
            text: qsTrId("soon.title") + "\n" + qsTrId("soon.body")
            font.family: theme.fontFamily; font.pixelSize: theme.bodySize
            color: theme.colours.text
            horizontalAlignment: Text.AlignHCenter; wrapMode: Text.Wrap
        }
        Item { Layout.fillHeight: true }
    }
}
