// The kiosk window: a top bar, a stack of screens, the idle prompt, and the on-screen keyboard.
import QtQuick
import QtQuick.Controls.Basic
import "components"
import "screens"

Window {
    id: window
    objectName: "kioskWindow"
    width: displayWidth
    height: displayHeight
    visible: true
    color: theme.colours.background
    title: qsTrId("app.title")

    readonly property var current: stack.currentItem
    readonly property real keyboardHeight: keyboardLoader.item && keyboardLoader.item.active
                                           ? keyboardLoader.item.height : 0
    readonly property string currentName: current && current.screenName ? current.screenName : "home"
    onCurrentNameChanged: shell.screenShown(currentName)

    function openEntry(entry) {
        var url = flowHub ? flowHub.screenFor(entry) : ""
        if (url.length > 0)
            stack.push(Qt.resolvedUrl(url))
        else
            stack.push(comingSoon, { entry: entry })
    }

    Column {
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
        StackView {
            id: stack
            objectName: "stack"
            width: parent.width
            // The docked keyboard takes the bottom of the screen: the screen above it shrinks
            // so its own buttons (next, skip) stay in reach while the citizen types.
            height: parent.height - topBar.height - (parent.sideways ? 0 : window.keyboardHeight)
            initialItem: HomeScreen { onEntryChosen: (entry) => window.openEntry(entry) }
            // Instant transitions: elders lose their place in sliding screens, and it is faster.
            pushEnter: null; pushExit: null; popEnter: null; popExit: null
            replaceEnter: null; replaceExit: null
        }
    }

    Component { id: comingSoon; ComingSoon {} }

    Connections {
        target: shell
        function onHomeRequested() { stack.pop(null) }
    }

    IdlePrompt { width: window.width; height: window.height; z: 10 }

    // Qt Virtual Keyboard (pinyin for Chinese, English layout) docked inline at the bottom.
    // Made in the background once the home screen is up (flowHub arrives after the first frame):
    // start-up does not wait for it, and it exists before any text field can take focus.
    Loader {
        id: keyboardLoader
        objectName: "keyboardLoader"
        z: 15
        width: window.width
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
