// A flow's page: it fills the space below the top bar, and a page taller than that space (a
// landscape or a 5:4 screen: kiosk.ui.window gives the window the screen's size) scrolls
// instead of running off the bottom. A control that takes the focus from a key is scrolled
// into view, so keypad users reach it too.
import QtQuick

Flickable {
    id: view
    objectName: "pageView"
    property alias sourceComponent: loader.sourceComponent
    property alias item: loader.item
    clip: true
    boundsBehavior: Flickable.StopAtBounds
    interactive: contentHeight > height + 1
    contentWidth: width
    contentHeight: loader.height

    Loader {
        id: loader
        width: view.width
        height: Math.max(view.height, item ? item.implicitHeight : 0)
    }

    // Scroll so that ``target`` (an item of the page) is wholly in view, when it can be.
    function reveal(target) {
        if (!target || !view.interactive) return
        var top = target.mapToItem(view.contentItem, 0, 0).y
        if (top < view.contentY)
            view.contentY = Math.max(0, top)
        else if (top + target.height > view.contentY + view.height)
            view.contentY = Math.min(view.contentHeight - view.height, top + target.height - view.height)
    }
    Connections {
        target: view.Window.window
        function onActiveFocusItemChanged() {
            var focused = view.Window.window ? view.Window.window.activeFocusItem : null
            for (var p = focused; p; p = p.parent)
                if (p === loader) { view.reveal(focused); return }
        }
    }
}
