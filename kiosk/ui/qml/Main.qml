// The kiosk window: a top bar, a stack of screens, the idle prompt, and the on-screen keyboard.
import QtQuick
import "components"
import "screens"

Window {
    id: window
    objectName: "kioskWindow"
    width: displayWidth
    height: displayHeight
    visible: true
    flags: frameless ? Qt.Window | Qt.FramelessWindowHint : Qt.Window
    color: theme.colours.background
    title: qsTrId("app.title")

    readonly property var current: stack.currentItem
    readonly property real keyboardHeight: keyboardLoader.item && keyboardLoader.item.active
                                           ? keyboardLoader.item.height : 0
    readonly property string currentName: current && current.screenName ? current.screenName : "home"
    onCurrentNameChanged: {
        shell.screenShown(currentName)
        freshScreen = true
        newScreen = true
        Qt.callLater(settleFocus)
    }

    function openEntry(entry) {
        var url = flowHub ? flowHub.screenFor(entry) : ""
        if (url.length > 0)
            stack.push(Qt.resolvedUrl(url))
        else
            stack.push(comingSoon, { entry: entry })
    }

    // ---- keys: every flow can be done on a hardware keypad or keyboard alone. Tab or the
    // arrows move the focus (a ring shows where), Enter or Space activate, Back (or Backspace
    // outside a text field) is the screen's own back button, else the top bar's.
    function isControl(item) {
        return item.activeFocusOnTab === true || item.cursorPosition !== undefined
    }
    function isText(item) { return item.cursorPosition !== undefined }
    function inside(item, ancestor) {
        for (var p = item; p; p = p.parent)
            if (p === ancestor) return true
        return false
    }
    // First control of a screen in reading order; text fields are skipped (they would raise
    // the on-screen keyboard over the screen): Tab reaches them. So are consequential controls
    // (a priority claim, a cancel: `consequential: true`), which keys reach only by a deliberate
    // move: Enter on a screen's first focus never claims priority or cancels.
    function firstControl(item) {
        if (!item || !item.visible || !item.enabled || isText(item)) return null
        if (item.activeFocusOnTab === true) return item.consequential === true ? null : item
        for (var i = 0; i < item.children.length; ++i) {
            var found = firstControl(item.children[i])
            if (found) return found
        }
        return null
    }
    // A screen may name its neutral first stop (`initialFocus: true`: "no", "skip the card").
    function initialControl(item) {
        if (!item || !item.visible || !item.enabled) return null
        if (item.initialFocus === true && item.activeFocusOnTab === true) return item
        for (var i = 0; i < item.children.length; ++i) {
            var found = initialControl(item.children[i])
            if (found) return found
        }
        return null
    }
    function findVisible(item, name) {
        if (!item || !item.visible) return null
        if (item.objectName === name) return item
        for (var i = 0; i < item.children.length; ++i) {
            var found = findVisible(item.children[i], name)
            if (found) return found
        }
        return null
    }
    function focusFirst() {
        var first = initialControl(stack.currentItem) || firstControl(stack.currentItem)
        if (first) first.forceActiveFocus(Qt.TabFocusReason)
        else keyRoot.forceActiveFocus()
    }
    // Where focus goes after a screen changed or the focused control went away.
    function settleFocus() {
        if (maintenance !== null && maintenance.layerUrl !== "") return  // its own keys
        if (idle.prompting) return
        var item = window.activeFocusItem
        if (item && item !== window.contentItem && !inside(item, keyRoot)) return  // keyboard
        var onControl = item && item !== keyRoot && inside(item, keyRoot) && isControl(item)
        // A new screen starts on its own first stop, not where the last one left the focus
        // (the top bar's help button, say): Enter there is the screen's safe choice.
        var leftBehind = newScreen && onControl && !inside(item, stack.currentItem)
        newScreen = false
        if (inputMode.keys) {
            if (!onControl || leftBehind) focusFirst()
        } else if (!onControl || !isText(item)) {
            keyRoot.forceActiveFocus()  // after a touch no hidden focus waits for a key
        }
    }
    function goBack() {
        var back = findVisible(stack.currentItem, "flowBack")
        if (back && back.enabled) back.activated()
        else if (stack.depth > 1) stack.pop()
    }
    onActiveFocusItemChanged: {
        Qt.callLater(settleFocus)
        Qt.callLater(announceFocus)
    }

    // ---- voice: in elder mode and for keypad users the control the focus lands on is read
    // aloud (its words as shown; a text field's hint, never what was typed). The first stop of
    // a new screen waits for the screen's prompt; a later move interrupts what is being read.
    property var announced: null
    property bool freshScreen: true
    property bool newScreen: false
    function spokenLabel(item) {
        if (isText(item)) return item.placeholderText || ""
        if (item.placeholder !== undefined) return item.placeholder  // a keypad: not its digits
        var words = item.text !== undefined ? String(item.text) : ""
        if (item.subText) words += (shell.language === "en" ? ", " : "，") + item.subText
        return words
    }
    function announceFocus() {
        var item = window.activeFocusItem
        if (!item || item === announced || !inside(item, keyRoot) || !isControl(item)) return
        announced = item
        if (shell.elderMode || inputMode.keys) shell.speak(spokenLabel(item), freshScreen)
        freshScreen = false
    }
    Connections {
        target: inputMode
        function onKeysChanged() { Qt.callLater(window.settleFocus) }
    }

    Column {
        id: keyRoot
        objectName: "keyRoot"
        focus: true
        Keys.onPressed: (event) => {
            var key = event.key
            if (key === Qt.Key_Back || key === Qt.Key_Backspace) {
                window.goBack()
                event.accepted = true
            } else if (window.activeFocusItem === keyRoot
                       && [Qt.Key_Tab, Qt.Key_Down, Qt.Key_Right, Qt.Key_Return, Qt.Key_Enter,
                           Qt.Key_Space].indexOf(key) >= 0) {
                window.focusFirst()  // the first key shows where focus starts
                event.accepted = true
            } else if ([Qt.Key_Down, Qt.Key_Right, Qt.Key_Up, Qt.Key_Left].indexOf(key) >= 0) {
                var next = window.activeFocusItem.nextItemInFocusChain(
                    key === Qt.Key_Down || key === Qt.Key_Right)
                if (next) next.forceActiveFocus(Qt.TabFocusReason)
                event.accepted = true
            }
        }
        // Sized from the window itself (the root item can report 0x0 before the first resize);
        // a panel mounted sideways gets the content turned and its sides swapped.
        readonly property bool sideways: displayRotation === 90 || displayRotation === 270
        width: sideways ? window.height : window.width
        height: sideways ? window.width : window.height
        x: (window.width - width) / 2
        y: (window.height - height) / 2
        rotation: displayRotation
        TopBar {
            id: topBar
            width: parent.width
            atHome: stack.depth <= 1
            onHomeTapped: shell.goHome()
            onBackTapped: if (stack.depth > 1) stack.pop()
            onHelpTapped: window.openEntry("help")
        }
        ScreenStack {
            id: stack
            objectName: "stack"
            width: parent.width
            // The docked keyboard takes the bottom of the screen: the screen above it shrinks
            // so its own buttons (next, skip) stay in reach while the citizen types.
            height: parent.height - topBar.height - (parent.sideways ? 0 : window.keyboardHeight)
            initialItem: home
            HomeScreen {
                id: home
                anchors.fill: parent
                onEntryChosen: (entry) => window.openEntry(entry)
            }
        }
    }

    Component { id: comingSoon; ComingSoon {} }

    Connections {
        target: shell
        function onHomeRequested() { stack.pop(null) }
    }

    // "Need more time?", made only while it counts down: it never shows on the home screen
    // (nothing times out there), so the first frame does not build it.
    Loader {
        objectName: "idlePromptLayer"
        width: window.width; height: window.height; z: 10
        active: idle.prompting
        source: "components/IdlePrompt.qml"
    }

    // Qt Virtual Keyboard (pinyin for Chinese, English layout) docked inline at the bottom.
    // Made in the background once the home screen is up (flowHub arrives after the first frame):
    // start-up does not wait for it, and it exists before any text field can take focus.
    Loader {
        id: keyboardLoader
        objectName: "keyboardLoader"
        z: 15
        // Landscape: the keyboard is no wider than it needs to be for its keys' millimetres
        // (a full 1920 px width would make it as tall as half the screen) and sits at the
        // right, so the field and what is being typed for keep most of the height above it.
        width: theme.landscape ? Math.min(window.width, Math.round(window.height * 1.35))
                               : window.width
        x: window.width - width
        active: flowHub !== null
        asynchronous: true
        source: "components/Keyboard.qml"
        y: item && item.active ? window.height - item.height : window.height
    }

    // Maintenance layers (PIN pad, service menu) cover everything, citizens' screens included.
    Loader {
        objectName: "maintenanceLayer"
        width: window.width; height: window.height; z: 20
        active: maintenance !== null && maintenance.layerUrl !== ""
        source: active ? Qt.resolvedUrl(maintenance.layerUrl) : ""
    }
}
