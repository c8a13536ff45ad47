// Call for help: opened from any screen by the top bar's help button; closes back to where the
// citizen was. Staff get the kiosk's location; the call is stored durably before it is shown sent.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../components"
import "parts"

Item {
    id: screen
    objectName: "helpScreen"
    property string screenName: "help." + (flow.state || "closed").toLowerCase()
    readonly property var flow: flowHub.help
    readonly property var d: flow.data
    Words { id: w }

    Component.onCompleted: flow.ask(shell.screen.split(".")[0])
    Connections {
        target: flow
        function onCloseRequested() { if (screen.parent && screen.parent.pop) screen.parent.pop() }  // the ScreenStack
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: theme.spacing * 2
        spacing: theme.spacing * 1.5

        Prompt {
            objectName: "flowPrompt"
            text: w.t(flow.prompt)
            horizontalAlignment: Text.AlignHCenter
            font.pixelSize: theme.displaySize * 0.7
        }
        BusyIndicator {
            Layout.alignment: Qt.AlignHCenter
            visible: flow.state === "SENDING"; running: visible
            Layout.preferredWidth: theme.touchTarget * 2; Layout.preferredHeight: theme.touchTarget * 2
        }
        Notice {
            objectName: "helpComing"; tone: "success"
            text: flow.state === "COMING" ? w.fill("help.location", { location: d.location }) : ""
        }
        Notice {
            objectName: "helpWhoIsComing"; tone: "success"
            text: flow.state === "COMING" && d.coming_name
                  ? w.fill("help.staff_coming", { name: d.coming_name, role: d.coming_role }) : ""
        }
        Notice {
            objectName: "helpAfterHours"; tone: "warning"
            text: flow.state === "RECORDED"
                  ? (d.staff_back_at ? w.fill("help.after_hours_detail",
                                              { hotline: d.hotline, staff_back_at: d.staff_back_at })
                                     : w.fill("help.after_hours_hotline", { hotline: d.hotline }))
                  : ""
        }
        Notice {
            objectName: "helpQueued"; tone: "warning"
            text: flow.state === "QUEUED" ? w.fill("help.hotline_hint", { hotline: d.hotline }) : ""
        }
        Notice {
            objectName: "helpFailed"; tone: "error"
            text: flow.state === "FAILED"
                  ? w.t(flow.error) + "\n" + w.fill("help.hotline_hint", { hotline: d.hotline }) : ""
        }
        Item { Layout.fillHeight: true }
        KButton {
            objectName: "retryButton"
            Layout.fillWidth: true
            visible: flow.state === "FAILED"
            text: w.t("common.retry")
            onActivated: flow.retry()
        }
        KButton {
            objectName: "helpClose"
            Layout.fillWidth: true
            visible: ["COMING", "RECORDED", "QUEUED", "FAILED"].indexOf(flow.state) >= 0
            text: w.t("help.back_to_flow")
            onActivated: flow.close()
        }
        KButton {
            objectName: "helpCancel"
            consequential: true  // keys start on "back", never on cancelling the call
            Layout.fillWidth: true
            visible: flow.state === "SENDING" || flow.state === "COMING" || flow.state === "QUEUED"
            kind: "secondary"
            text: w.t("help.cancel")
            onActivated: flow.cancel()
        }
    }
}
