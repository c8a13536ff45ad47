// Translated words for a message id: the .qm translations compiled from kiosk.words.WORDS
// (every key, reason keys included), so QML has one lookup like Python's kiosk.words.text.
import QtQuick

QtObject {
    function t(key) {
        return key ? qsTrId(key) : ""
    }
    // "{name}" placeholders filled from a map
    function fill(key, values) {
        var s = t(key)
        for (var name in values)
            s = s.split("{" + name + "}").join(values[name] === undefined || values[name] === null ? "" : String(values[name]))
        return s
    }
    // the zh or en field of a catalogue entry
    // Window numbers read "21-23号窗口"; a place written in words (自助区) is shown as written.
    // The same rule as hall.catalogue.window_numbers.
    function windows(value) {
        if (!value)
            return ""
        return /^\s*\d+(\s*-\s*\d+)?(\s*[,，、]\s*\d+(\s*-\s*\d+)?)*\s*$/.test(value)
               ? fill("flow.windows", { windows: value.trim() }) : value
    }

    function pick(entry, field) {
        if (!entry)
            return ""
        var en = entry[field + "_en"]
        return shell.language === "en" && en ? en : entry[field]
    }
}
