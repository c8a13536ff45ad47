// 好差评: window number on a keypad → five levels → reasons for the two lowest → an optional
// call-back number (masked as typed, skipped in one tap) for the two lowest → thanks.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../components"
import "parts"

Item {
    id: screen
    objectName: "evaluationScreen"
    property string screenName: "evaluation." + flow.state.toLowerCase()
    readonly property var flow: flowHub.evaluation
    readonly property var d: flow.data
    Words { id: w }

    Component.onCompleted: flow.start()
    function removedFromStack() { flow.cancel() }  // left the flow: it ends

    PageLoader {
        anchors.fill: parent
        anchors.margins: theme.spacing * 2
        sourceComponent: ({
            LINK: linkPage, LEVEL: levelPage, REASONS: reasonsPage, PHONE: phonePage,
            SUBMITTING: busyPage,
            THANKS: thanksPage, ERROR: errorPage, NO_CATALOGUE: errorPage
        })[flow.state] || null
    }

    Component {
        id: linkPage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Notice { objectName: "inputError"; tone: "error"; text: w.t(d.input_error) }
            Keypad {
                Layout.fillWidth: true
                maxLength: 6
                placeholder: w.t("evaluation.window_keypad")
                nextText: w.t("evaluation.next"); clearText: w.t("evaluation.clear")
                nextName: "linkNext"; displayName: "windowDisplay"
                onSubmitted: (value) => flow.linkWindow(value)
            }
            Item { Layout.fillHeight: true }
        }
    }

    Component {
        id: levelPage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Body { visible: !!d.window; text: d.window ? w.fill("flow.windows", { windows: d.window }) : ""
                   color: theme.colours.muted }
            Repeater {
                model: d.levels || []
                KButton {
                    objectName: "level_" + modelData.level
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                    Layout.minimumHeight: theme.touchTarget
                    // Five levels drawn alike (no level looks like the answer expected): the
                    // same colour and weight; order, stars out of five and words carry the meaning.
                    kind: "secondary"
                    text: "★".repeat(modelData.level) + "☆".repeat(5 - modelData.level)
                          + "  " + w.t(modelData.label)
                    onActivated: flow.chooseLevel(modelData.level)
                }
            }
            KButton { objectName: "flowBack"; Layout.fillWidth: true; kind: "secondary"
                      text: w.t("common.back"); onActivated: flow.back() }
        }
    }

    Component {
        id: reasonsPage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Notice { objectName: "inputError"; tone: "error"; text: w.t(d.input_error) }
            GridLayout {
                Layout.fillWidth: true
                columns: theme.elder ? 1 : 2
                uniformCellWidths: true  // equal buttons, whatever their words
                rowSpacing: theme.spacing / 2; columnSpacing: theme.spacing / 2
                Repeater {
                    model: d.reasons || []
                    KButton {
                        objectName: "reason_" + modelData.reason
                        Layout.fillWidth: true
                        kind: modelData.chosen ? "primary" : "secondary"
                        text: (modelData.chosen ? "✓ " : "") + w.t(modelData.label)
                        onActivated: flow.toggleReason(modelData.reason)
                    }
                }
            }
            Item { Layout.fillHeight: true }
            KButton { objectName: "submitButton"; Layout.fillWidth: true
                      Layout.minimumHeight: theme.touchTarget * 1.3
                      text: w.t("report.submit"); onActivated: flow.submit() }
            KButton { objectName: "flowBack"; Layout.fillWidth: true; kind: "secondary"
                      text: w.t("common.back"); onActivated: flow.back() }
        }
    }

    Component {
        id: phonePage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            // Skipping is the first, safe choice: one tap, and nothing personal leaves.
            KButton { objectName: "skipPhoneButton"; Layout.fillWidth: true
                      Layout.minimumHeight: theme.touchTarget * 1.3
                      kind: "secondary"; text: w.t("evaluation.skip_phone")
                      onActivated: flow.skipPhone() }
            Notice { objectName: "inputError"; tone: "error"; text: w.t(d.input_error) }
            Keypad {
                Layout.fillWidth: true
                grouped: true; masked: true
                nextText: w.t("evaluation.send_phone"); clearText: w.t("evaluation.clear")
                nextName: "phoneNext"; displayName: "phoneDisplay"
                onSubmitted: (value) => flow.enterPhone(value)
            }
            Body { objectName: "phoneNote"; text: w.t("evaluation.phone_note")
                   color: theme.colours.muted }
            Item { Layout.fillHeight: true }
            KButton { objectName: "flowBack"; Layout.fillWidth: true; kind: "secondary"
                      text: w.t("common.back"); onActivated: flow.back() }
        }
    }

    Component {
        id: busyPage
        ColumnLayout {
            Item { Layout.fillHeight: true }
            BusyIndicator { Layout.alignment: Qt.AlignHCenter; running: true }
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt); horizontalAlignment: Text.AlignHCenter }
            Item { Layout.fillHeight: true }
        }
    }

    Component {
        id: thanksPage
        ColumnLayout {
            spacing: theme.spacing * 2
            Item { Layout.fillHeight: true }
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt); horizontalAlignment: Text.AlignHCenter
                     font.pixelSize: theme.displaySize * 0.8 }
            Body { text: w.fill("evaluation.home_soon", { seconds: d.home_in_s })
                   horizontalAlignment: Text.AlignHCenter; color: theme.colours.muted }
            Item { Layout.fillHeight: true }
            KButton { objectName: "finishButton"; Layout.fillWidth: true
                      text: w.t("common.done"); onActivated: flow.finish() }
        }
    }

    Component {
        id: errorPage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Notice { objectName: "errorNotice"; tone: "error"; text: w.t(flow.error || flow.prompt) }
            Item { Layout.fillHeight: true }
            KButton { objectName: "retryButton"; Layout.fillWidth: true; visible: flow.state === "ERROR"
                      text: w.t("common.retry"); onActivated: flow.retry() }
            KButton { objectName: "abortButton"; Layout.fillWidth: true; kind: "secondary"
                      text: w.t("common.abort"); onActivated: flow.abort() }
        }
    }
}
