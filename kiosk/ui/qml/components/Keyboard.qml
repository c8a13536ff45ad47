// The on-screen keyboard: Qt Virtual Keyboard's InputPanel with Chinese (pinyin) and English.
// Its keys and candidate strip are sized in millimetres like the rest of the kiosk: the panel
// keeps the style's aspect ratio, so the style's design width is narrowed until a key row is
// at least theme.keyboardKeyMm high (glyphs grow with it: the style scales them by height), and
// the candidate strip is made theme.keyboardCandidatesMm high (elder mode: 24 mm and 15 mm).
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

InputPanel {
    id: panel
    objectName: "inputPanel"

    // The style's own design sizes, read once per style (0 until the style has loaded).
    property real designWidth: 0
    property real designHeight: 0
    property real designCandidates: 0
    // Height of one key row for the style's design height: four rows share the keys' area.
    readonly property real rowsPerKeyboard: 4
    readonly property real stretch: {
        if (designWidth <= 0 || designCandidates <= 0 || width <= 0)
            return 1
        var naturalHeight = designHeight * width / designWidth
        var style = keyboard.style
        var keysShare = 1 - style.keyboardRelativeTopMargin - style.keyboardRelativeBottomMargin
        var naturalRow = naturalHeight * keysShare / rowsPerKeyboard
        // + 2 px: the rows are laid out in whole pixels, and a rounded-down row stays above.
        return Math.max(1, (theme.keyboardKeyMm * theme.mm + 2) / naturalRow)
    }
    // The candidate strip grows on its own: stretching every key row for it would take half
    // of a narrow screen.
    readonly property real stripHeight: Math.max(designCandidates * keyboard.style.scaleHint,
                                                 theme.keyboardCandidatesMm * theme.mm)
    function readDesign() {
        var style = keyboard.style
        if (designWidth > 0) return  // read already: the style now holds our stretched width
        if (!style || !(style.keyboardDesignWidth > 0) || !(style.scaleHint > 0)) {
            retry.start()  // the style sizes itself once the panel has a width
            return
        }
        // Read before any is set: setting designWidth restyles at once.
        var candidates = style.selectionListHeight / style.scaleHint
        var height = style.keyboardDesignHeight
        var width = style.keyboardDesignWidth
        designCandidates = candidates
        designHeight = height
        designWidth = width
        applyStretch()
    }
    function applyStretch() {
        var style = keyboard.style
        if (!style || designWidth <= 0) return
        style.keyboardDesignWidth = designWidth / stretch
        style.selectionListHeight = Math.ceil(stripHeight)
    }
    // Handlers written out, not calling applyStretch(): when a theme change reaches a panel
    // being torn down (elder mode off at the idle reset, as the scene goes), calling one of its
    // functions is an "invalid context" error; its properties stay readable.
    onStretchChanged: {
        var style = keyboard ? keyboard.style : null
        if (style && designWidth > 0) style.keyboardDesignWidth = designWidth / stretch
    }
    onStripHeightChanged: {
        var style = keyboard ? keyboard.style : null
        if (style && designWidth > 0) style.selectionListHeight = Math.ceil(stripHeight)
    }
    Timer { id: retry; interval: 50; onTriggered: panel.readDesign() }

    // The candidates' words at body size (7 mm in elder mode): the style sizes them for its
    // own strip height. Its delegates are made as the list fills and scrolls.
    function sizeCandidates() {
        var view = keyboard.wordCandidateView
        var items = view.contentItem.children
        for (var i = 0; i < items.length; ++i) {
            var labels = items[i].children
            for (var j = 0; j < labels.length; ++j)
                if (labels[j].font !== undefined && labels[j].text !== undefined  // the word
                        && labels[j].font.pixelSize !== theme.bodySize)
                    labels[j].font.pixelSize = theme.bodySize
        }
    }
    Connections {
        target: panel.keyboard.wordCandidateView
        function onCountChanged() { Qt.callLater(panel.sizeCandidates) }
        function onContentXChanged() { Qt.callLater(panel.sizeCandidates) }
    }
    Connections {
        target: panel.keyboard
        function onStyleChanged() { panel.designWidth = 0; Qt.callLater(panel.readDesign) }
    }

    // Keys reach the on-screen keys too: while a text field has focus the arrows walk the keys
    // (a highlight shows where) and Enter presses the highlighted one; Tab leaves the field.
    Binding { target: VirtualKeyboardSettings; property: "arrowKeyNavigationEnabled"; value: true }

    // A hardware keyboard's letters type through the same pinyin input method as the on-screen
    // keys (called by kiosk.ui.keynav.HardwareTyping): "nihao" then Space or 1 gives 你好.
    // While pinyin is being typed, Backspace, Space, Enter and 1-9 (pick a candidate) are the
    // input method's too. Returns whether the key was typed here.
    function typeHardwareKey(key: int, text: string): bool {
        if (!active || InputContext.inputEngine.inputMode !== InputEngine.InputMode.Pinyin)
            return false
        var engine = InputContext.inputEngine
        if (key >= Qt.Key_A && key <= Qt.Key_Z) {
            engine.virtualKeyClick(key, text.toLowerCase(), Qt.NoModifier)
            return true
        }
        if (InputContext.preeditText.length === 0)
            return false
        var candidates = engine.wordCandidateListModel
        if (key >= Qt.Key_1 && key <= Qt.Key_9) {
            var index = key - Qt.Key_1
            if (candidates && index < candidates.count)
                candidates.selectItem(index)
            return true
        }
        if ([Qt.Key_Backspace, Qt.Key_Space, Qt.Key_Return, Qt.Key_Enter].indexOf(key) >= 0) {
            engine.virtualKeyClick(key, key === Qt.Key_Space ? " " : "", Qt.NoModifier)
            return true
        }
        return false
    }

    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = shell.language === "en" ? "en_US" : "zh_CN"
        readDesign()
    }
    Connections {
        target: shell
        function onLanguageChanged() {
            VirtualKeyboardSettings.locale = shell.language === "en" ? "en_US" : "zh_CN"
        }
    }
}
