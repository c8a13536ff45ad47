// The bar on every screen: home, back and help on the left; language and elder mode on the right.
import QtQuick
import QtQuick.Layouts

Rectangle {
    id: bar
    property bool atHome: true
    signal homeTapped()
    signal backTapped()
    signal helpTapped()

    color: theme.colours.surface
    implicitHeight: theme.touchTarget + theme.spacing * 2

    RowLayout {
        anchors.fill: parent
        anchors.margins: theme.spacing
        spacing: theme.spacing
        KButton {
            objectName: "homeButton"
            visible: !bar.atHome
            kind: "secondary"
            text: qsTrId("nav.home")
            onActivated: bar.homeTapped()
        }
        KButton {
            objectName: "backButton"
            visible: !bar.atHome
            kind: "secondary"
            text: qsTrId("nav.back")
            onActivated: bar.backTapped()
        }
        Item { Layout.fillWidth: true }
        KButton {
            objectName: "languageButton"
            kind: "secondary"
            text: qsTrId("nav.language")
            Accessible.description: qsTrId("nav.language.hint")
            onActivated: shell.toggleLanguage()
        }
        KButton {
            objectName: "elderButton"
            kind: shell.elderMode ? "primary" : "secondary"
            text: shell.elderMode ? qsTrId("nav.elder.on") : qsTrId("nav.elder.off")
            onActivated: shell.setElderMode(!shell.elderMode)
        }
        KButton {
            objectName: "helpButton"
            kind: "danger"
            text: qsTrId("nav.help")
            onActivated: bar.helpTapped()
        }
    }
    Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 2; color: theme.colours.border }
}
