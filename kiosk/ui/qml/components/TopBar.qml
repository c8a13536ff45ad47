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
    implicitHeight: row.implicitHeight + theme.spacing * 2

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.margins: theme.spacing
        spacing: theme.spacing
        KButton {
            // Equal shares of the bar, never narrower than a touch target: five buttons fit
            // a portrait panel in elder mode too (a long label shrinks to one line).
            Layout.fillWidth: true; Layout.preferredWidth: 1; Layout.minimumWidth: theme.touchTarget
            Layout.fillHeight: true
            oneLine: true
            objectName: "homeButton"
            visible: !bar.atHome
            kind: "secondary"
            text: qsTrId("nav.home")
            onActivated: bar.homeTapped()
        }
        KButton {
            // Equal shares of the bar, never narrower than a touch target: five buttons fit
            // a portrait panel in elder mode too (a long label shrinks to one line).
            Layout.fillWidth: true; Layout.preferredWidth: 1; Layout.minimumWidth: theme.touchTarget
            Layout.fillHeight: true
            oneLine: true
            objectName: "backButton"
            visible: !bar.atHome
            kind: "secondary"
            text: qsTrId("nav.back")
            onActivated: bar.backTapped()
        }
        KButton {
            // Equal shares of the bar, never narrower than a touch target: five buttons fit
            // a portrait panel in elder mode too (a long label shrinks to one line).
            Layout.fillWidth: true; Layout.preferredWidth: 1; Layout.minimumWidth: theme.touchTarget
            Layout.fillHeight: true
            oneLine: true
            objectName: "languageButton"
            kind: "secondary"
            text: qsTrId("nav.language")
            Accessible.description: qsTrId("nav.language.hint")
            onActivated: shell.toggleLanguage()
        }
        KButton {
            // Equal shares of the bar, never narrower than a touch target: five buttons fit
            // a portrait panel in elder mode too (a long label shrinks to one line).
            Layout.fillWidth: true; Layout.preferredWidth: 1; Layout.minimumWidth: theme.touchTarget
            Layout.fillHeight: true
            oneLine: true
            objectName: "elderButton"
            kind: shell.elderMode ? "primary" : "secondary"
            text: qsTrId("nav.elder")  // the state on its own line: never 长者模 / 式：开
            subText: shell.elderMode ? qsTrId("nav.elder.on") : qsTrId("nav.elder.off")
            onActivated: shell.setElderMode(!shell.elderMode)
        }
        KButton {
            // Equal shares of the bar, never narrower than a touch target: five buttons fit
            // a portrait panel in elder mode too (a long label shrinks to one line).
            Layout.fillWidth: true; Layout.preferredWidth: 1; Layout.minimumWidth: theme.touchTarget
            Layout.fillHeight: true
            oneLine: true
            objectName: "helpButton"
            kind: "danger"
            text: qsTrId("nav.help")  // 呼叫 / 工作人员: the home tile's words, on two lines
            subText: qsTrId("nav.help.who")
            Accessible.name: qsTrId("entry.help")
            onActivated: bar.helpTapped()
        }
    }
    Rectangle { anchors.bottom: parent.bottom; width: parent.width; height: 2; color: theme.colours.border }
}
