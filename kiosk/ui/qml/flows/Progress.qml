// 进度查询: by tracking number and check code (keypad) → every step 受理→分类→转办→办结→反馈 with dates and the answer.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../components"
import "parts"

Item {
    id: screen
    objectName: "progressScreen"
    property string screenName: "progress." + flow.state.toLowerCase()
    readonly property var flow: flowHub.progress
    readonly property var d: flow.data
    Words { id: w }
    // A date as people say it: 2026年12月1日 in Chinese, 1 Dec 2026 in English.
    function dateWords(iso) {
        var m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso || ""))
        if (!m) return iso || ""
        if (shell.language === "en")
            return Number(m[3]) + " " + ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug",
                                         "Sep", "Oct", "Nov", "Dec"][Number(m[2]) - 1] + " " + m[1]
        return m[1] + "年" + Number(m[2]) + "月" + Number(m[3]) + "日"
    }

    Component.onCompleted: flow.start()
    function removedFromStack() { flow.cancel() }  // left the flow: it ends

    PageLoader {
        anchors.fill: parent
        anchors.margins: theme.spacing * 2
        sourceComponent: ({
            CHOOSE_METHOD: methodPage, ENTER_NUMBER: numberPage, ENTER_CODE: codePage,
            WAIT_CARD: cardPage,
            LOOKING_UP: busyPage, RESULTS: resultsPage, ERROR: errorPage, NO_CATALOGUE: errorPage
        })[flow.state] || null
    }

    Component {
        id: methodPage
        ColumnLayout {
            spacing: theme.spacing * 1.5
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Item { Layout.fillHeight: true }
            KButton { objectName: "byNumberButton"; Layout.fillWidth: true
                      Layout.minimumHeight: theme.touchTarget * 1.5
                      text: w.t("progress.by_number"); onActivated: flow.byNumber() }
            KButton { objectName: "byCardButton"; Layout.fillWidth: true
                      Layout.minimumHeight: theme.touchTarget * 1.5
                      text: w.t("progress.by_card"); onActivated: flow.byCard() }
            Item { Layout.fillHeight: true }
        }
    }

    Component {
        id: numberPage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Notice { objectName: "inputError"; tone: "error"; text: w.t(d.input_error) }
            Keypad {
                Layout.fillWidth: true
                maxLength: 12; focus: true
                letters: ["A", "B", "C", "D", "E", "F"]  // local numbers of offline receipts
                placeholder: "R " + w.t("progress.tracking_keypad")
                nextText: w.t("common.next"); clearText: w.t("evaluation.clear")
                onSubmitted: (value) => flow.enterNumber(value)
            }
            Item { Layout.fillHeight: true }
            KButton { objectName: "flowBack"; Layout.fillWidth: true; kind: "secondary"
                      text: w.t("common.back"); onActivated: flow.back() }
        }
    }

    Component {
        id: codePage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Body { objectName: "codeForNumber"; text: w.fill("progress.number_entered", { tracking_no: d.tracking_no || "" }) }
            Notice { objectName: "inputError"; tone: "error"; text: w.t(d.input_error) }
            Keypad {
                Layout.fillWidth: true
                maxLength: 4; focus: true
                placeholder: w.t("progress.code_keypad")
                nextText: w.t("common.next"); clearText: w.t("evaluation.clear")
                onSubmitted: (value) => flow.enterCode(value)
            }
            Item { Layout.fillHeight: true }
            KButton { objectName: "flowBack"; Layout.fillWidth: true; kind: "secondary"
                      text: w.t("common.back"); onActivated: flow.back() }
        }
    }

    Component {
        id: cardPage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Notice { objectName: "cardProblem"; text: w.t(d.card_problem) }
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
        id: resultsPage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Notice { objectName: "noneFound"; tone: "info"
                     text: w.fill(d.notice, { local_ref: d.local_ref || "" }) }
            SpeakOnShow { parts: [w.fill(d.notice, { local_ref: (d.local_ref || "").split("").join(" ") })] }
            KeyFlickable {
                objectName: "resultsContent"
                Layout.fillWidth: true; Layout.fillHeight: true
                contentHeight: reports.implicitHeight
                ColumnLayout {
                    id: reports
                    width: parent.width
                    spacing: theme.spacing
                    Repeater {
                        model: d.reports || []
                        ColumnLayout {
                            Layout.fillWidth: true
                            spacing: theme.spacing / 2
                            // The first (newest) report is read aloud: number, state, next step, date.
                            SpeakOnShow {
                                id: reportWords
                                parts: index > 0 ? [] : [w.t("report.tracking_label"),
                                        reportWords.spell(modelData.tracking_no),
                                        w.t(modelData.now),
                                        modelData.next_step ? w.fill("progress.next_step", { step: w.t(modelData.next_step) }) : "",
                                        modelData.promise ? w.fill("progress.promised_words", { promised_date: screen.dateWords(modelData.promised_date) }) : ""]
                            }
                            Text {
                                objectName: "reportNumber_" + index
                                text: modelData.tracking_no
                                font.family: theme.fontFamily; font.pixelSize: theme.titleSize; font.bold: true
                                color: theme.colours.primary
                            }
                            Body { text: w.pick(modelData, "kind_name") || ""; visible: !!modelData.kind_name }
                            Body { objectName: "reportReceived_" + index; visible: !!modelData.received_at
                                   text: w.fill("progress.received_on", { date: screen.dateWords(modelData.received_at) }) }
                            Body { objectName: "reportNow_" + index; text: w.t(modelData.now); font.bold: true }
                            Body { objectName: "reportNext_" + index
                                   text: (modelData.next_step ? w.fill("progress.next_step", { step: w.t(modelData.next_step) }) : "")
                                         + (modelData.next_step && modelData.promise ? (shell.language === "en" ? ". " : "，") : "")
                                         + (modelData.promise ? w.fill("progress.promised_words", { promised_date: screen.dateWords(modelData.promised_date) }) : "")
                                   visible: text.length > 0 }
                            Repeater {
                                model: modelData.steps
                                RowLayout {
                                    Layout.fillWidth: true
                                    spacing: theme.spacing
                                    Rectangle {
                                        implicitWidth: theme.touchTarget / 2; implicitHeight: implicitWidth
                                        radius: width / 2
                                        color: modelData.done_at ? theme.colours.success : theme.colours.surface
                                        border.color: modelData.current ? theme.colours.focus : theme.colours.border
                                        border.width: modelData.current ? 4 : 2
                                    }
                                    Body {
                                        objectName: "step_" + modelData.step
                                        text: w.t(modelData.label) + (modelData.done_at ? "  " + String(modelData.done_at).slice(0, 10) : "")
                                        font.bold: modelData.current
                                        color: modelData.done_at ? theme.colours.text : theme.colours.muted
                                    }
                                }
                            }
                            Notice { objectName: "answer_" + index; tone: "success"
                                     text: modelData.answer ? w.t("progress.answer") + "\n" + modelData.answer : "" }
                        }
                    }
                }
            }
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
