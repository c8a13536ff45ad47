// 办事指南: browse by area or search (pinyin initials) → the guide → print the one-time slip.
// An integrated service (一件事一次办) shows and prints one merged slip.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../components"
import "parts"

Item {
    id: screen
    objectName: "guideScreen"
    property string screenName: "guide." + flow.state.toLowerCase()
    readonly property var flow: flowHub.guide
    readonly property var d: flow.data
    Words { id: w }

    Component.onCompleted: flow.start()
    function removedFromStack() { flow.cancel() }  // left the flow: it ends

    PageLoader {
        anchors.fill: parent
        anchors.margins: theme.spacing * 2
        sourceComponent: ({ BROWSE: browsePage, GUIDE: guidePage, ERROR: errorPage,
                            NO_CATALOGUE: errorPage })[flow.state] || null
    }

    Component {
        id: browsePage
        // Portrait: one column. Landscape (theme.landscape): the prompt, the search field and
        // the areas on the left, the matters found beside them, so the keyboard docked below
        // never hides the field or what the citizen is typing for.
        GridLayout {  // its own `flow` (the cells' order) hides the screen's: screen.flow below
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
                    // Pinyin initials ("gljt") stay unfinished preedit until ↵: filter on them too,
                    // at every letter.
                    onTextEdited: screen.flow.search(text + preeditText)
                    onPreeditTextChanged: screen.flow.search(text + preeditText)
                }
                Flow {
                    Layout.fillWidth: true
                    spacing: theme.spacing / 2
                    visible: !d.query
                    Repeater {
                        model: d.zoneList || []
                        KButton {
                            objectName: "zone_" + modelData.id
                            kind: d.zone_id === modelData.id ? "primary" : "secondary"
                            text: modelData.id + " " + w.pick(modelData, "name")
                            onActivated: screen.flow.chooseZone(d.zone_id === modelData.id ? "" : modelData.id)
                        }
                    }
                }
                Item { visible: theme.landscape; Layout.fillHeight: true }
            }
            ScrollList {
                objectName: "guideResults"
                Layout.fillWidth: true; Layout.fillHeight: true
                contentHeight: list.implicitHeight; clip: true
                ColumnLayout {
                    id: list
                    width: parent.width
                    spacing: theme.spacing / 2
                    Repeater {
                        model: d.integratedList || []
                        KButton {
                            objectName: "integrated_" + modelData.id
                            Layout.fillWidth: true
                            kind: "danger"
                            text: w.pick(modelData, "name")
                            subText: w.t("guide.integrated_hint")
                            onActivated: screen.flow.openIntegrated(modelData.id)
                        }
                    }
                    Repeater {
                        model: d.matterList || []
                        KButton {
                            objectName: "matter_" + modelData.id
                            Layout.fillWidth: true
                            text: w.pick(modelData, "name")
                            onActivated: screen.flow.openMatter(modelData.id)
                        }
                    }
                }
            }
        }
    }

    Component {
        id: guidePage
        ColumnLayout {
            spacing: theme.spacing
            readonly property var slip: d.slip || ({})
            Prompt { objectName: "guideTitle"; text: w.pick(slip, "title") || w.t(flow.prompt) }
            Notice { objectName: "guideNotice"; tone: "info"; text: w.t(d.notice) }
            Body { visible: !!slip.integrated; text: w.t("guide.integrated_hint"); color: theme.colours.muted }
            KeyFlickable {
                objectName: "guideContent"
                Layout.fillWidth: true; Layout.fillHeight: true
                contentHeight: content.implicitHeight
                ColumnLayout {
                    id: content
                    width: parent.width
                    spacing: theme.spacing / 2
                    Section { text: w.t("guide.materials") }
                    Repeater {
                        model: slip.materials || []
                        Body {
                            objectName: "material_" + index
                            text: "☐ " + w.pick(modelData, "name") + "  ("
                                  + [modelData.originals > 0 ? w.fill("guide.originals", { originals: modelData.originals }) : "",
                                     modelData.copies > 0 ? w.fill("guide.copies", { copies: modelData.copies }) : ""]
                                    .filter(function (x) { return x.length > 0 }).join(", ") + ")"
                                  + (w.pick(modelData, "note") ? "\n   " + w.pick(modelData, "note") : "")
                        }
                    }
                    Repeater {
                        model: slip.matters || []
                        ColumnLayout {
                            Layout.fillWidth: true
                            spacing: theme.spacing / 3
                            Section { text: (slip.integrated ? w.pick(modelData, "name") + " · " : "") + w.t("guide.conditions") }
                            Body { text: ((shell.language === "en" && modelData.conditions_en.length ? modelData.conditions_en
                                           : modelData.conditions) || []).map(function (c) { return "• " + c }).join("\n") }
                            Body { text: w.t("guide.time_limit") + (shell.language === "en" ? ": " : "：") + w.pick(modelData, "time_limit") + "\n"
                                         + w.t("guide.fee") + (shell.language === "en" ? ": " : "：") + w.pick(modelData, "fee") + "\n"
                                         + w.t("guide.place") + (shell.language === "en" ? ": " : "：") + w.pick(modelData, "place") + "\n"
                                         + w.t("guide.hours") + (shell.language === "en" ? ": " : "：") + w.pick(modelData, "hours_text") }
                        }
                    }
                    QrCode {
                        objectName: "guideQr"
                        Layout.fillWidth: true
                        Layout.preferredHeight: implicitHeight
                        visible: !!d.qr_url
                        qrSize: Math.round(theme.mm * 35)
                        text: d.qr_url || ""
                        caption: w.t("guide.scan")
                        captionPixelSize: theme.smallSize
                    }
                }
            }
            Notice {
                objectName: "printNotice"
                tone: d.print_status === "printed" ? "success" : d.print_status === "failed" ? "warning" : "info"
                text: w.t(d.print_notice)
            }
            KButton { objectName: "printButton"; Layout.fillWidth: true; visible: !!d.has_guide
                      enabled: d.print_status !== "pending"
                      text: w.t("guide.print"); onActivated: flow.printSlip() }
            RowLayout {
                Layout.fillWidth: true
                spacing: theme.spacing
                KButton { objectName: "flowBack"; Layout.fillWidth: true; kind: "secondary"
                          text: w.t("common.back"); onActivated: flow.back() }
                KButton { objectName: "finishButton"; Layout.fillWidth: true; kind: "secondary"
                          text: w.t("common.done"); onActivated: flow.finish() }
            }
        }
    }

    Component {
        id: errorPage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Notice { objectName: "errorNotice"; tone: "error"; text: w.t(flow.error || flow.prompt) }
            Item { Layout.fillHeight: true }
            KButton { objectName: "abortButton"; Layout.fillWidth: true; kind: "secondary"
                      text: w.t("common.abort"); onActivated: flow.abort() }
        }
    }

    component Section: Text {
        Layout.fillWidth: true
        Layout.topMargin: theme.spacing / 2
        font.family: theme.fontFamily; font.pixelSize: theme.bodySize; font.bold: true
        color: theme.colours.primary
        wrapMode: Text.Wrap
    }
}
