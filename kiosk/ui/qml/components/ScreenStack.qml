// The stack of screens: home at the bottom, a flow's screen pushed over it, popped back.
// Plain Qt Quick instead of QtQuick.Controls' StackView: loading Controls for it was ~12 ms of
// the home screen's first frame, and the kiosk used none of its transitions (screens change
// instantly: elders lose their place in sliding screens).
//
// Pushed screens fill the stack; the ones below the top are hidden. The top screen holds the
// stack's focus, as in StackView: when the focus was on the screen before, it moves to the new
// one, and Main.qml's settleFocus puts it on its first control. A popped screen is told (its
// function removedFromStack(), when it has one: a flow ends there) and then destroyed.
import QtQuick

FocusScope {
    id: stack
    onCurrentItemChanged: if (currentItem) currentItem.focus = true
    Component.onCompleted: if (currentItem) currentItem.focus = true

    // The screen at the bottom, never popped (home); set once, declared as a child.
    property Item initialItem: null
    property var _above: []  // pushed screens, bottom to top
    readonly property int depth: (initialItem ? 1 : 0) + _above.length
    readonly property Item currentItem: _above.length > 0 ? _above[_above.length - 1] : initialItem

    // target: a URL or a Component; properties: initial property values of the new screen.
    // A screen still compiling in the background (app.py warms them) is pushed once compiled.
    function push(target, properties) {
        var component = typeof target.createObject === "function" ? target : Qt.createComponent(target)
        if (component.status === Component.Loading) {
            _loading = component  // kept alive until it is ready
            component.statusChanged.connect(function () {
                // Popped (went home) or replaced while it compiled: the citizen has moved on,
                // and a screen placed now would cover home with a flow nobody is in.
                if (_loading !== component) return
                _loading = null
                _place(component, properties)
            })
            return null
        }
        return _place(component, properties)
    }
    property var _loading: null

    function _place(component, properties) {
        if (component.status !== Component.Ready) {
            console.warn("ScreenStack: cannot create " + component.url + ": " + component.errorString())
            return null
        }
        var screen = component.createObject(stack, properties || {})
        if (screen === null) {
            console.warn("ScreenStack: " + component.url + " failed to create")
            return null
        }
        screen.anchors.fill = stack
        if (currentItem) currentItem.visible = false
        _above = _above.concat([screen])
        return screen
    }

    // pop(): the top screen; pop(null): every screen above the initial one.
    function pop(toItem) {
        _loading = null  // a screen still compiling is not placed after this
        var keep = toItem === null ? 0 : Math.max(0, _above.length - 1)
        if (_above.length === 0) return null
        var removed = _above.slice(keep).reverse()
        _above = _above.slice(0, keep)
        if (currentItem) currentItem.visible = true
        for (var i = 0; i < removed.length; ++i) {
            if (typeof removed[i].removedFromStack === "function") removed[i].removedFromStack()
            removed[i].destroy()
        }
        return removed[0]
    }
}
