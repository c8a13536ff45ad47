// Home: the hall's name, date and time, notices, and the big entries of the citizen flows.
import QtQuick
import QtQuick.Layouts
import "../components"

Item {
    id: home
    objectName: "homeScreen"
    property string screenName: "home"
    signal entryChosen(string entry)

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: theme.spacing * 2
        spacing: theme.spacing * 1.5

        // The hall's name and the time: one line in landscape (the height goes to the tiles).
        GridLayout {
            Layout.fillWidth: true
            columns: theme.landscape ? 2 : 1
            rowSpacing: theme.spacing * 1.5; columnSpacing: theme.spacing * 2
            Text {
                objectName: "hallName"
                Layout.fillWidth: true
                text: shell.hallName
                font.family: theme.fontFamily; font.pixelSize: theme.titleSize; font.bold: true
                color: theme.colours.primary
                horizontalAlignment: Text.AlignHCenter; wrapMode: Text.Wrap
            }
            Text {
                id: clock
                objectName: "clock"
                Layout.fillWidth: true
                font.family: theme.fontFamily; font.pixelSize: theme.bodySize
                color: theme.colours.text
                horizontalAlignment: Text.AlignHCenter
                function refresh() {
                    var now = new Date()  // only for the seconds to the next minute
                    text = shell.clockText()  // hall time (kiosk.clock), not the machine's zone
                    // Wake once a minute, on the minute: the clock is what the kiosk does all night.
                    tick.interval = (60 - now.getSeconds()) * 1000 - now.getMilliseconds() + 50
                    tick.restart()
                }
                Timer { id: tick; repeat: false; onTriggered: clock.refresh() }
                Connections {
                    target: shell
                    function onLanguageChanged() { clock.refresh() }
                    function onHallChanged() { clock.refresh() }  // a bundle may name another zone
                }
                Component.onCompleted: refresh()
            }
        }
        Text {
            Layout.fillWidth: true
            // one line in landscape: the height goes to the tiles
            text: qsTrId("home.welcome") + (theme.landscape ? "  " : "\n") + qsTrId("home.choose")
            font.family: theme.fontFamily; font.pixelSize: theme.bodySize
            color: theme.colours.muted
            horizontalAlignment: Text.AlignHCenter; wrapMode: Text.Wrap
        }

        // Said in words (and marked with a bar), never by colour alone.
        Repeater {
            model: [
                { name: "offlineBanner", key: "status.offline", shown: !shell.centreOnline },
                { name: "printerBanner", key: "status.printer", shown: !shell.printerOk }
            ]
            Rectangle {
                objectName: modelData.name
                visible: modelData.shown
                Layout.fillWidth: true
                implicitHeight: bannerText.implicitHeight + theme.spacing
                color: theme.colours.surface
                border.color: theme.colours.warning
                border.width: 3
                radius: theme.radius
                Text {
                    id: bannerText
                    objectName: modelData.name + "Text"
                    anchors.fill: parent
                    anchors.margins: theme.spacing / 2
                    text: "⚠ " + qsTrId(modelData.key)
                    font.family: theme.fontFamily; font.pixelSize: theme.smallSize
                    color: theme.colours.warning
                    wrapMode: Text.Wrap
                }
            }
        }

        GridLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            // Landscape (theme.landscape): three columns in both modes, so every tile and the
            // hall's notice below them are on screen at once; portrait: two, one in elder mode.
            columns: theme.landscape ? 3 : shell.elderMode ? 1 : 2
            uniformCellWidths: true  // equal tiles, whatever the length of their words
            uniformCellHeights: true
            rowSpacing: theme.spacing; columnSpacing: theme.spacing
            Repeater {
                model: ["ticket", "report", "guide", "progress", "evaluation", "help"]
                // A picture, a title sized to the tile and a caption: read at a glance.
                KButton {
                    objectName: "entry_" + modelData
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    // Landscape: a little lower at least (29 mm in elder mode, still above a
                    // 24 mm target), so the notice and the card hint fit below the tiles.
                    Layout.minimumHeight: theme.touchTarget * (theme.landscape ? 1.2 : 1.5)
                    kind: modelData === "help" ? "danger" : "primary"
                    icon: Qt.resolvedUrl("../../../../assets/icons/" + modelData + ".svg")
                    // Elder mode stacks the tiles in one column: wide, low tiles with the
                    // picture beside the larger words.
                    iconBeside: shell.elderMode
                    // landscape elder: three tiles a row, a smaller picture leaves the words room
                    iconSize: theme.mm * (shell.elderMode ? (theme.landscape ? 13 : 20) : 22)
                    pixelSize: theme.titleSize
                    text: qsTrId("entry." + modelData)
                    subText: qsTrId("entry." + modelData + ".sub")
                    onActivated: home.entryChosen(modelData)
                }
            }
        }

        Rectangle {
            objectName: "notices"
            Layout.fillWidth: true
            visible: shell.notices.length > 0
            implicitHeight: noticeColumn.implicitHeight + theme.spacing * 2
            color: theme.colours.surface
            border.color: theme.colours.border
            radius: theme.radius
            Column {
                id: noticeColumn
                anchors.fill: parent
                anchors.margins: theme.spacing
                spacing: theme.spacing / 2
                Text {
                    text: qsTrId("home.notices")
                    font.family: theme.fontFamily; font.pixelSize: theme.bodySize; font.bold: true
                    color: theme.colours.text
                }
                Repeater {
                    model: shell.notices
                    Text {  // at body size: the hall's notice is read, not glanced at
                        objectName: "notice_" + index
                        width: noticeColumn.width
                        text: "• " + modelData
                        font.family: theme.fontFamily; font.pixelSize: theme.bodySize
                        color: theme.colours.text
                        wrapMode: Text.Wrap
                    }
                }
            }
        }
        Text {
            objectName: "cardHint"
            Layout.fillWidth: true
            text: qsTrId("home.card_hint")
            font.family: theme.fontFamily; font.pixelSize: theme.smallSize
            color: theme.colours.muted
            horizontalAlignment: Text.AlignHCenter; wrapMode: Text.Wrap
        }
    }
}
