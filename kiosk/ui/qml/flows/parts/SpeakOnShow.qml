// Reads the results that matter aloud once a page shows them (elder mode, keypad users): the
// words the page itself shows, queued after the screen's prompt. Numbers are spelled one sign
// at a time (C012 is "C 0 1 2", not "C twelve").
import QtQuick

QtObject {
    property var parts: []   // words and numbers in reading order; empty ones are left out
    function spell(value) { return String(value || "").split("").join(" ") }
    // Later, not at once: the page may be made before its data binding and the screen's
    // prompt have caught up (both follow the same change of the flow).
    Component.onCompleted: Qt.callLater(speakNow)
    function speakNow() {
        if (!(shell.elderMode || inputMode.keys)) return
        var words = []
        for (var i = 0; i < parts.length; ++i)
            if (parts[i] !== undefined && parts[i] !== null && String(parts[i]).trim().length > 0)
                words.push(String(parts[i]).trim())
        if (words.length > 0) shell.speak(words.join(shell.language === "en" ? ". " : "，"), true)
    }
}
