// A numeric keypad with a large display: phone numbers and window numbers without a keyboard.
// It takes keys too: digits type, Backspace deletes (and, when empty, goes back), Enter submits.
import QtQuick
import QtQuick.Layouts
import "../../components"

ColumnLayout {
    id: pad
    objectName: "keypad"
    property string entered: ""
    property int maxLength: 11
    property string placeholder: ""
    property string nextText: "OK"
    property string clearText: "C"
    property string nextName: "keyNext"
    property string displayName: "keypadDisplay"
    property bool grouped: false   // 138 1234 5678
    property bool masked: false    // 138 **** 5678: the middle four digits hidden from bystanders
    property var letters: []       // extra letter keys, e.g. A-F for an offline receipt's local number
    signal submitted(string value)
    spacing: theme.spacing / 2
    // Landscape (theme.landscape): a phone-sized pad in the middle, not keys a third of a
    // 1920 px screen wide; portrait: as wide as the page.
    Layout.maximumWidth: theme.landscape ? Math.round(theme.mm * 170) : Number.POSITIVE_INFINITY
    Layout.alignment: theme.landscape ? Qt.AlignHCenter : 0
    activeFocusOnTab: true   // the first stop of the screen: digits and Enter work at once
    readonly property bool focusShown: activeFocus && inputMode.keys

    function shown() {
        var middle = masked ? "****".slice(0, Math.max(0, Math.min(entered.length, 7) - 3))
                            : entered.slice(3, 7)
        if (masked && !grouped) return entered.slice(0, 3) + middle + entered.slice(7)
        if (!grouped || entered.length <= 3) return entered
        return entered.slice(0, 3) + " " + middle + (entered.length > 7 ? " " + entered.slice(7) : "")
    }

    Rectangle {
        Layout.fillWidth: true
        implicitHeight: theme.touchTarget * 1.2
        color: theme.colours.surface
        border.color: pad.focusShown ? theme.colours.focus : theme.colours.border
        border.width: pad.focusShown ? Math.max(4, theme.mm * 1.2) : 2
        radius: theme.radius
        Text {
            objectName: pad.displayName
            anchors.centerIn: parent
            text: pad.entered.length > 0 ? pad.shown() : pad.placeholder
            color: pad.entered.length > 0 ? theme.colours.text : theme.colours.muted
            font.family: theme.fontFamily; font.pixelSize: theme.titleSize; font.bold: true
        }
    }
    GridLayout {
        Layout.fillWidth: true
        columns: 3
        uniformCellWidths: true  // equal buttons, whatever their words
        rowSpacing: theme.spacing / 2; columnSpacing: theme.spacing / 2
        Repeater {
            model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "next"]
            KButton {
                objectName: modelData === "clear" ? "keyClear" : modelData === "next" ? pad.nextName : "key_" + modelData
                Layout.fillWidth: true
                // Big keys for a big screen: 1.8 touch targets (27 mm, 43 mm in elder mode).
                Layout.preferredHeight: theme.touchTarget * 1.8
                Layout.minimumHeight: theme.touchTarget * 1.1
                pixelSize: modelData.length === 1 ? theme.titleSize : theme.bodySize
                kind: modelData === "clear" ? "secondary" : "primary"
                text: modelData === "clear" ? pad.clearText : modelData === "next" ? pad.nextText : modelData
                onActivated: {
                    if (modelData === "clear") pad.entered = ""
                    else if (modelData === "next") pad.submitted(pad.entered)
                    else if (pad.entered.length < pad.maxLength) pad.entered += modelData
                }
            }
        }
    }
    GridLayout {
        Layout.fillWidth: true
        visible: pad.letters.length > 0
        columns: Math.max(1, pad.letters.length)
        uniformCellWidths: true
        rowSpacing: theme.spacing / 2; columnSpacing: theme.spacing / 2
        Repeater {
            model: pad.letters
            KButton {
                objectName: "key_" + modelData
                Layout.fillWidth: true
                Layout.preferredHeight: theme.touchTarget * 1.2
                Layout.minimumHeight: theme.touchTarget
                pixelSize: theme.titleSize
                kind: "secondary"
                text: modelData
                onActivated: if (pad.entered.length < pad.maxLength) pad.entered += modelData
            }
        }
    }
    Keys.onPressed: (event) => {
        var typed = event.text ? event.text.toUpperCase() : ""
        if (event.key >= Qt.Key_0 && event.key <= Qt.Key_9) {
            if (entered.length < maxLength) entered += String(event.key - Qt.Key_0)
            event.accepted = true
        } else if (typed.length === 1 && pad.letters.indexOf(typed) >= 0) {
            if (entered.length < maxLength) entered += typed
            event.accepted = true
        } else if (event.key === Qt.Key_Backspace && entered.length > 0) {
            entered = entered.slice(0, -1); event.accepted = true
        } else if (pad.activeFocus && (event.key === Qt.Key_Return || event.key === Qt.Key_Enter)) {
            submitted(entered); event.accepted = true
        }
    }
}
