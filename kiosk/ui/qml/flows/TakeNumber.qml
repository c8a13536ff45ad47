// 取号: area → matter (or search) → ID card (optional) → confirm → the ticket on screen.
// Everything shown comes from flowHub.ticket (the flow's view); taps go back to it as events.
import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import "../components"
import "parts"

Item {
    id: screen
    objectName: "takeNumberScreen"
    property string screenName: "ticket." + flow.state.toLowerCase()
    readonly property var flow: flowHub.ticket
    readonly property var d: flow.data
    Words { id: w }

    Component.onCompleted: flow.start()
    function removedFromStack() { flow.cancel() }  // top-bar back left the flow: it ends, data dropped

    PageLoader {
        id: page
        anchors.fill: parent
        anchors.margins: theme.spacing * 2
        sourceComponent: ({
            CHOOSE_ZONE: zonePage, CHOOSE_MATTER: matterPage, IDENTIFY: identifyPage,
            ASK_PRIORITY: priorityPage,
            CONFIRM: confirmPage, REQUESTING: requestingPage, TICKET: ticketPage,
            UNAVAILABLE: unavailablePage, ERROR: errorPage, NO_CATALOGUE: errorPage
        })[flow.state] || null
    }

    // ---- 1. choose the area
    Component {
        id: zonePage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            SearchField { onSearched: (q) => flow.search(q) }
            ScrollList {
                Layout.fillWidth: true; Layout.fillHeight: true
                contentHeight: zoneGrid.implicitHeight; clip: true
                GridLayout {
                    id: zoneGrid
                    width: parent.width
                    columns: theme.elder ? 1 : 2
                    uniformCellWidths: true  // equal buttons, whatever their words
                    rowSpacing: theme.spacing; columnSpacing: theme.spacing
                    Repeater {
                        model: d.zoneList || []
                        KButton {
                            objectName: "zone_" + modelData.id
                            Layout.fillWidth: true
                            Layout.preferredWidth: 1  // equal columns, whatever the names
                            Layout.minimumHeight: theme.touchTarget * 1.4
                            text: modelData.id + "  " + w.pick(modelData, "name")
                            subText: w.fill("flow.floor_zone", { floor: modelData.floor,
                                                                  location: w.pick(modelData, "location") })
                            onActivated: flow.chooseZone(modelData.id)
                        }
                    }
                }
            }
        }
    }

    // ---- 2. choose the matter
    Component {
        id: matterPage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Body {
                visible: !!d.chosenZone && !d.query
                text: d.chosenZone ? d.chosenZone.id + "  " + w.pick(d.chosenZone, "name") : ""
                color: theme.colours.muted
            }
            SearchField { initial: d.query || ""; onSearched: (q) => flow.search(q) }
            Notice {
                objectName: "noMatch"; tone: "info"
                text: (d.matterList || []).length === 0 ? w.t("flow.no_match") : ""
            }
            ScrollList {
                Layout.fillWidth: true; Layout.fillHeight: true
                contentHeight: matterColumn.implicitHeight; clip: true
                ColumnLayout {
                    id: matterColumn
                    width: parent.width
                    spacing: theme.spacing
                    Repeater {
                        model: d.matterList || []
                        KButton {
                            objectName: "matter_" + modelData.id
                            Layout.fillWidth: true
                            text: w.pick(modelData, "name")
                            subText: modelData.windows ? w.windows(modelData.windows) : w.t("flow.self_service")
                            onActivated: flow.chooseMatter(modelData.id)
                        }
                    }
                }
            }
            BackRow {}
        }
    }

    // ---- 3. ID card (optional): priority channel, appointment check-in
    Component {
        id: identifyPage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Body { text: d.matter ? w.fill("flow.your_matter", { matter: w.pick(d.matter, "name") }) : "" }
            Notice {
                objectName: "cardStatus"; tone: "success"
                text: d.card ? w.fill("flow.card_read", { name: d.masked_name })
                               + (d.priority ? "\n" + w.t("take.priority." + d.priority) : "")
                               + (d.appointment ? "\n" + w.t("take.appointment_by_card") : "") : ""
            }
            Notice { objectName: "cardProblem"; tone: "warning"; text: w.t(d.card_problem) }
            Notice { objectName: "readerProblem"; tone: "warning"
                     text: shell.readerOk || d.card ? "" : w.t("flow.reader_unavailable") }
            Body {
                objectName: "identifyHint"
                visible: !d.card
                text: w.t("take.identify.priority_hint")
                      + (d.appointment_offered ? "\n" + w.t("take.appointment_hint") : "")
                color: theme.colours.muted
            }
            KButton {
                objectName: "offerElderMode"
                Layout.fillWidth: true
                visible: !!d.offer_elder_mode && !shell.elderMode
                kind: "secondary"
                text: w.t("common.offer_elder_mode")
                onActivated: shell.setElderMode(true)
            }
            KButton {
                objectName: "disabilityButton"
                consequential: true  // a priority claim: never where the keys start
                Layout.fillWidth: true
                visible: d.ask_disability !== false && (!d.card || !d.priority || d.priority === "disabled")
                kind: d.disability ? "primary" : "secondary"
                text: d.disability ? w.t("flow.disability_on") : w.t("take.declare_disability")
                onActivated: flow.declareDisability(!d.disability)
            }
            Item { Layout.fillHeight: true }
            KButton {
                objectName: "continueButton"
                initialFocus: true
                Layout.fillWidth: true
                Layout.minimumHeight: theme.touchTarget * 1.3
                text: d.card ? w.t("common.next") : w.t("take.skip_card")
                onActivated: flow.proceed()
            }
            BackRow {}
        }
    }

    // ---- 3b. elder mode: the priority question on its own screen (one decision per screen)
    Component {
        id: priorityPage
        ColumnLayout {
            spacing: theme.spacing * 1.5
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Body { text: w.t("take.identify.priority_hint"); color: theme.colours.muted }
            Item { Layout.fillHeight: true }
            KButton {
                objectName: "priorityYes"
                consequential: true
                Layout.fillWidth: true
                Layout.minimumHeight: theme.touchTarget * 1.3
                text: w.t("take.yes")
                onActivated: flow.declareDisability(true)
            }
            KButton {
                objectName: "priorityNo"
                initialFocus: true  // keys start on "no": Enter alone claims no priority
                Layout.fillWidth: true
                Layout.minimumHeight: theme.touchTarget * 1.3
                text: w.t("take.no")
                onActivated: flow.declareDisability(false)
            }
            BackRow {}
        }
    }

    // ---- 4. confirm (the printer was checked when this screen opened)
    Component {
        id: confirmPage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Body {
                objectName: "confirmMatter"
                font.bold: true
                text: d.matter ? w.pick(d.matter, "name") : ""
                font.pixelSize: theme.titleSize
            }
            Body {
                text: d.zone ? w.fill(d.matter.windows ? "flow.place" : "flow.place_zone",
                                      { floor: d.zone.floor, zone: w.pick(d.zone, "name"),
                                        windows: w.windows(d.matter.windows) }) : ""
            }
            Body {
                visible: !!d.priority
                text: d.priority ? w.t("take.priority." + d.priority) : ""
                color: theme.colours.success
            }
            Body {
                objectName: "confirmAppointment"
                visible: !!d.appointment && !!d.card
                text: w.t("take.appointment_by_card")
                color: theme.colours.success
            }
            Notice {
                objectName: "printerNotice"
                tone: d.printer_ok === false ? "warning" : "info"
                text: d.printer_ok === false ? w.t(d.notice)
                      : d.printer_ok === true ? w.t("flow.printer_ready") : w.t("flow.checking_printer")
            }
            Item { Layout.fillHeight: true }
            KButton {
                objectName: "confirmButton"
                Layout.fillWidth: true
                Layout.minimumHeight: theme.touchTarget * 1.5
                text: w.t("take.confirm_button")
                onActivated: flow.confirm()
            }
            BackRow {}
        }
    }

    // ---- 5. waiting for the centre
    Component {
        id: requestingPage
        ColumnLayout {
            spacing: theme.spacing * 2
            Item { Layout.fillHeight: true }
            BusyIndicator { Layout.alignment: Qt.AlignHCenter; running: true
                            Layout.preferredWidth: theme.touchTarget * 2; Layout.preferredHeight: theme.touchTarget * 2 }
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt); horizontalAlignment: Text.AlignHCenter }
            Item { Layout.fillHeight: true }
        }
    }

    // ---- 6. the ticket
    Component {
        id: ticketPage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt); horizontalAlignment: Text.AlignHCenter }
            Body { id: yourNumber; text: w.t("take.ticket.your_number"); horizontalAlignment: Text.AlignHCenter }
            SpeakOnShow {
                id: ticketWords
                parts: [yourNumber.text, ticketWords.spell(ticketNumber.text), ticketPriority.text,
                        ticketWhere.text.split("\n")[0], ticketAhead.text]
            }
            Text {
                id: ticketNumber
                objectName: "ticketNumber"
                Layout.fillWidth: true
                text: d.number || ""
                font.family: theme.fontFamily; font.pixelSize: theme.displaySize * 2; font.bold: true
                color: theme.colours.primary
                horizontalAlignment: Text.AlignHCenter
            }
            Body {
                id: ticketPriority
                objectName: "ticketPriority"
                visible: !!d.priority
                text: d.priority ? w.t("take.priority." + d.priority) : ""
                color: theme.colours.success; horizontalAlignment: Text.AlignHCenter
            }
            Body {
                objectName: "ticketMatter"
                font.bold: true; horizontalAlignment: Text.AlignHCenter
                text: w.pick(d, "matter_name") || ""
            }
            Body {
                id: ticketWhere
                objectName: "ticketWhere"
                font.bold: true
                horizontalAlignment: Text.AlignHCenter
                text: w.fill(d.windows ? "take.ticket.go_to" : "take.ticket.go_to_zone",
                             { floor: d.floor, zone_name: w.pick(d, "zone_name"), windows: w.windows(d.windows) })
                      + "\n" + w.pick(d, "location")
            }
            Body {
                id: ticketAhead
                objectName: "ticketAhead"
                horizontalAlignment: Text.AlignHCenter
                text: w.fill("take.ticket.ahead", { ahead: d.ahead })
                      + (d.wait_min ? "\n" + w.fill("take.ticket.wait", { minutes: d.wait_min }) : "")
            }
            Body {
                // What the paper says besides: when the number was taken, until when the matter
                // is served, and to listen for the call (the screen stands in for lost paper).
                objectName: "ticketTaken"
                horizontalAlignment: Text.AlignHCenter
                text: [w.fill("take.ticket.taken_at", { issued_at: d.issued_at }), w.pick(d, "note"),
                       w.t("take.ticket.listen")].filter(function (s) { return !!s }).join("\n")
            }
            Notice {
                objectName: "ticketNotice"
                tone: d.print_status === "printed" ? "success"
                    : d.print_status === "pending" ? "info" : "warning"
                text: w.t(d.notice)
            }
            QrCode {
                objectName: "ticketQr"
                Layout.fillWidth: true
                Layout.preferredHeight: implicitHeight
                qrSize: Math.round(theme.mm * (theme.elder ? 40 : 50))
                text: d.qr_url || ""
                caption: w.t("take.ticket.scan")
                captionPixelSize: theme.smallSize
            }
            KButton {
                objectName: "finishButton"
                Layout.fillWidth: true
                text: w.t("common.done")
                onActivated: flow.finish()
            }
        }
    }

    // ---- closed now / today's numbers gone: say when to come back
    Component {
        id: unavailablePage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Body { text: d.matter ? w.pick(d.matter, "name") : ""; font.bold: true }
            Notice {
                objectName: "unavailableNotice"
                text: w.fill(d.message, { come_back_at: d.come_back_at || "", place: w.pick(d, "place") })
            }
            Body { visible: !!d.hours_text; text: w.fill("flow.come_back_hours", { hours: w.pick(d, "hours_text") }) }
            Body {
                visible: d.reason !== "ticket.self_service"  // staff hours do not matter there
                text: w.fill("flow.staffed_hours", { hours: w.pick(d, "staffed_hours") })
                color: theme.colours.muted
            }
            Item { Layout.fillHeight: true }
            KButton {
                objectName: "otherMatterButton"
                Layout.fillWidth: true
                kind: "secondary"
                text: w.t("flow.other_matter")
                onActivated: flow.back()
            }
            KButton {
                objectName: "abortButton"
                Layout.fillWidth: true
                text: w.t("flow.home_now")
                onActivated: flow.abort()
            }
        }
    }

    // ---- errors: plain words, what still works, and the next step
    Component {
        id: errorPage
        ColumnLayout {
            spacing: theme.spacing
            Prompt { objectName: "flowPrompt"; text: w.t(flow.prompt) }
            Notice { objectName: "errorNotice"; tone: "error"; text: w.t(flow.error || flow.prompt) }
            Body {
                visible: (d.still_works || []).length > 0
                text: w.t("flow.still_works") + "\n"
                      + (d.still_works || []).map(function (k) { return "• " + w.t(k) }).join("\n")
            }
            Item { Layout.fillHeight: true }
            KButton {
                objectName: "retryButton"
                Layout.fillWidth: true
                visible: flow.state === "ERROR"
                text: w.t("common.retry")
                onActivated: flow.retry()
            }
            KButton {
                objectName: "abortButton"
                Layout.fillWidth: true
                kind: "secondary"
                text: w.t("common.abort")
                onActivated: flow.abort()
            }
        }
    }

    component BackRow: KButton {
        objectName: "flowBack"
        Layout.fillWidth: true
        kind: "secondary"
        text: w.t("common.back")
        onActivated: flow.back()
    }

    component SearchField: TextField {
        property string initial: ""
        signal searched(string query)
        objectName: "searchField"
        Layout.fillWidth: true
        // The focus ring of a text field: shown while letters go here.
        readonly property bool focusShown: activeFocus
        padding: Math.max(10, theme.mm * 2.5)
        background: FieldFrame { shown: parent.focusShown }
        Layout.preferredHeight: theme.touchTarget
        id: searchField
        // The query, shown while the field is not being typed in (see Guide.qml).
        Binding on text {
            value: searchField.initial; when: !searchField.activeFocus
            restoreMode: Binding.RestoreNone
        }
        placeholderText: w.t("flow.search")
        font.family: theme.fontFamily; font.pixelSize: theme.bodySize
        // no learning: pinyin must not offer one citizen's words to the next
        inputMethodHints: Qt.ImhNoPredictiveText | Qt.ImhSensitiveData
        // Pinyin initials stay unfinished preedit until ↵: they are searched as typed.
        onTextEdited: searchDelay.restart()
        onPreeditTextChanged: searchDelay.restart()
        onAccepted: searched(text)
        Timer { id: searchDelay; interval: 250
                onTriggered: parent.searched(parent.text + parent.preeditText) }
    }
}
