// 办不成事反映: who (card or mobile) → matter → what happened → describe (or skip) → contact →
// review → submit → receipt. The report is on disk (outbox) before the receipt is shown.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../components"
import "parts"

Item {
    id: screen
    objectName: "reportScreen"
    property string screenName: "report." + flow.state.toLowerCase()
    readonly property var flow: flowHub.report
    readonly property var d: flow.data
    Words { id: w }

    Component.onCompleted: flow.start()
    function removedFromStack() { flow.cancel() }  // left the flow: it ends

    PageLoader {
        anchors.fill: parent
        anchors.margins: theme.spacing * 2
        sourceComponent: ({
            IDENTIFY: identifyPage, ENTER_PHONE: phonePage, CHOOSE_MATTER: matterPage,
            SITUATION: situationPage, DESCRIBE: describePage, CONTACT: contactPage,
            REVIEW: reviewPage, SUBMITTING: busyPage, RESULT: resultPage,
            ERROR: errorPage, NO_CATALOGUE: errorPage
        })[flow.state] || null
    }

    Component {
        id: identifyPage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Notice { objectName: "cardProblem"; text: w.t(d.card_problem) }
            Notice { objectName: "readerProblem"
                     text: shell.readerOk ? "" : w.t("flow.reader_unavailable") }
            Item { Layout.fillHeight: true }
            KButton { objectName: "usePhoneButton"; Layout.fillWidth: true
                      Layout.minimumHeight: theme.touchTarget * 1.3
                      text: w.t("report.use_phone"); onActivated: flow.usePhone() }
        }
    }

    Component {
        id: phonePage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Notice { objectName: "inputError"; tone: "error"; text: w.t(d.input_error) }
            Keypad {
                Layout.fillWidth: true
                grouped: true; focus: true
                nextText: w.t("common.next"); clearText: w.t("evaluation.clear")
                onSubmitted: (value) => flow.enterPhone(value)
            }
            Item { Layout.fillHeight: true }
            BackRow {}
        }
    }

    Component {
        id: matterPage
        // Landscape (theme.landscape): the field on the left, the matters found beside it, so
        // the keyboard docked below covers neither. GridLayout's own `flow` hides the
        // screen's: screen.flow inside.
        GridLayout {
            columns: theme.landscape ? 2 : 1
            uniformCellWidths: theme.landscape
            rowSpacing: theme.spacing; columnSpacing: theme.spacing * 2
            ColumnLayout {
                Layout.fillWidth: true; Layout.fillHeight: theme.landscape
                Layout.alignment: Qt.AlignTop
                spacing: theme.spacing
                Prompt { objectName: "flowPrompt"; text: w.t(screen.flow.prompt) }
                TextField {
                    objectName: "searchField"
                    Layout.fillWidth: true; Layout.preferredHeight: theme.touchTarget
                    // The focus ring of a text field: shown while letters go here.
                    readonly property bool focusShown: activeFocus
                    padding: Math.max(10, theme.mm * 2.5)
                    background: FieldFrame { shown: parent.focusShown }
                    id: searchField
                    // The query, shown while the field is not being typed in: typing, the query
                    // also holds the unfinished pinyin, which the field shows as preedit already.
                    Binding on text {
                        value: d.query || ""; when: !searchField.activeFocus
                        restoreMode: Binding.RestoreNone
                    }
                    placeholderText: w.t("flow.search")
                    font.family: theme.fontFamily; font.pixelSize: theme.bodySize
                    inputMethodHints: Qt.ImhSensitiveData  // pinyin learns nothing one citizen types
                    // Pinyin initials stay unfinished preedit until ↵: searched at every letter.
                    onTextEdited: screen.flow.search(text + preeditText)
                    onPreeditTextChanged: screen.flow.search(text + preeditText)
                }
                KButton { objectName: "matter_other"; Layout.fillWidth: true; kind: "secondary"
                          text: w.t("report.matter_other"); onActivated: screen.flow.chooseMatter("") }
                Item { visible: theme.landscape; Layout.fillHeight: true }
                BackRow { visible: theme.landscape }
            }
            ScrollList {
                objectName: "reportMatters"
                Layout.fillWidth: true; Layout.fillHeight: true
                contentHeight: col.implicitHeight; clip: true
                ColumnLayout {
                    id: col
                    width: parent.width
                    spacing: theme.spacing / 2
                    Repeater {
                        model: d.matterList || []
                        KButton {
                            objectName: "matter_" + modelData.id
                            Layout.fillWidth: true
                            text: w.pick(modelData, "name")
                            onActivated: screen.flow.chooseMatter(modelData.id)
                        }
                    }
                }
            }
            BackRow { visible: !theme.landscape }
        }
    }

    Component {
        id: situationPage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Repeater {
                model: d.values || []
                KButton {
                    objectName: "situation_" + modelData
                    Layout.fillWidth: true; Layout.fillHeight: true
                    Layout.minimumHeight: theme.touchTarget
                    text: w.t("report.situation." + modelData)
                    onActivated: flow.chooseSituation(modelData)
                }
            }
            BackRow {}
        }
    }

    Component {
        id: describePage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Notice { objectName: "inputError"; tone: "error"; text: w.t(d.input_error) }
            TextArea {
                id: field
                objectName: "descriptionField"
                Layout.fillWidth: true
                Layout.preferredHeight: theme.touchTarget * 2.5
                wrapMode: TextEdit.Wrap
                inputMethodHints: Qt.ImhSensitiveData  // pinyin learns nothing one citizen types
                font.family: theme.fontFamily; font.pixelSize: theme.bodySize
                readonly property bool focusShown: activeFocus  // its focus ring, as a button's
                padding: Math.max(10, theme.mm * 2.5)
                background: FieldFrame { shown: field.focusShown }
                Component.onCompleted: text = d.text || ""
                // Tab leaves the field (a description needs no tab characters).
                Keys.onTabPressed: nextItemInFocusChain(true).forceActiveFocus(Qt.TabFocusReason)
                Keys.onBacktabPressed: nextItemInFocusChain(false).forceActiveFocus(Qt.BacktabFocusReason)
                onTextChanged: if (text !== (d.text || "")) flow.describe(text)
                Connections {
                    target: flow
                    function onChanged() { if (flow.state === "DESCRIBE" && field.text !== (d.text || "")) field.text = d.text || "" }
                }
            }
            Flow {
                Layout.fillWidth: true
                spacing: theme.spacing / 2
                Repeater {
                    model: d.phrases || []
                    KButton {
                        objectName: "phrase_" + index
                        kind: "secondary"
                        text: w.t(modelData)
                        onActivated: flow.addPhrase(modelData)
                    }
                }
            }
            Item { Layout.fillHeight: true }
            RowLayout {
                Layout.fillWidth: true
                spacing: theme.spacing
                KButton { objectName: "skipButton"; Layout.fillWidth: true; Layout.preferredWidth: 1
                          kind: "secondary"
                          text: w.t("report.skip"); onActivated: flow.skipDescription() }
                KButton { objectName: "nextButton"; Layout.fillWidth: true; Layout.preferredWidth: 1
                          text: w.t("common.next"); onActivated: flow.next() }
            }
        }
    }

    Component {
        id: contactPage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Notice { objectName: "inputError"; tone: "error"; text: w.t(d.input_error) }
            KButton {
                objectName: "keepContactButton"
                Layout.fillWidth: true
                visible: !!d.contact_masked
                text: d.contact_masked + "  ✓"
                onActivated: flow.next()
            }
            Keypad {
                Layout.fillWidth: true
                grouped: true; focus: true
                nextText: w.t("common.next"); clearText: w.t("evaluation.clear")
                onSubmitted: (value) => flow.enterContact(value)
            }
            Item { Layout.fillHeight: true }
            BackRow {}
        }
    }

    Component {
        id: reviewPage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            ReviewRow { part: "identify"; value: d.identified_by === "card" ? d.masked_name : d.contact_masked }
            ReviewRow { part: "matter"; value: d.matter ? w.pick(d.matter, "name") : w.t("report.matter_other") }
            ReviewRow { part: "situation"; value: w.t(d.situation) }
            ReviewRow { part: "describe"; value: d.text || w.t("report.skip") }
            ReviewRow { part: "contact"; value: d.contact_masked }
            Item { Layout.fillHeight: true }
            KButton { objectName: "submitButton"; Layout.fillWidth: true
                      Layout.minimumHeight: theme.touchTarget * 1.5
                      text: w.t("report.submit"); onActivated: flow.submit() }
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
        id: resultPage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt); horizontalAlignment: Text.AlignHCenter }
            SpeakOnShow {
                id: resultWords
                parts: [w.t("report.tracking_label"), resultWords.spell(trackingNumber.text), resultNotice.text]
            }
            Text {
                id: trackingNumber
                objectName: "trackingNumber"
                Layout.fillWidth: true
                text: d.tracking_no || d.local_ref || ""
                font.family: theme.fontFamily; font.pixelSize: theme.displaySize; font.bold: true
                color: theme.colours.primary
                horizontalAlignment: Text.AlignHCenter
            }
            Text {
                objectName: "checkCode"
                Layout.fillWidth: true
                visible: !!d.check_code
                text: w.fill("report.check_code", { check_code: d.check_code || "" })
                font.family: theme.fontFamily; font.pixelSize: theme.titleSize; font.bold: true
                color: theme.colours.text
                horizontalAlignment: Text.AlignHCenter
            }
            Notice {
                id: resultNotice
                objectName: "resultNotice"
                tone: d.offline ? "warning" : "success"
                text: w.fill(d.notice, { promised_date: d.promised_date, local_ref: d.local_ref })
            }
            Body { objectName: "directorHotline"; font.bold: true; horizontalAlignment: Text.AlignHCenter
                   text: w.fill("report.director_hotline", { director_hotline: d.director_hotline }) }
            Body { objectName: "receiptStatus"; horizontalAlignment: Text.AlignHCenter
                   text: d.print_status === "printed" ? w.t("report.take_receipt") : "" }
            QrCode {
                objectName: "trackingQr"
                Layout.fillWidth: true
                Layout.preferredHeight: implicitHeight
                visible: !!d.qr_url
                qrSize: Math.round(theme.mm * (theme.elder ? 40 : 45))
                text: d.qr_url || ""
                captionPixelSize: theme.smallSize
            }
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

    component BackRow: KButton {
        objectName: "flowBack"
        Layout.fillWidth: true
        kind: "secondary"
        text: w.t("common.back")
        onActivated: flow.back()
    }

    component ReviewRow: RowLayout {
        property string part: ""
        property string value: ""
        Layout.fillWidth: true
        spacing: theme.spacing
        Body { objectName: "review_" + parent.part; Layout.fillWidth: true
               text: w.t("report.review." + parent.part) + (shell.language === "en" ? ": " : "：") + parent.value }
        KButton { objectName: "edit_" + parent.part; kind: "secondary"; text: w.t("report.edit")
                  onActivated: flow.edit(parent.part) }
    }
}
