// A large touch button: at least the theme's touch target, a visible focus ring for keyboard
// users, text plus an optional sub-line so colour is never the only signal.
import QtQuick

Rectangle {
    id: button
    property string text: ""
    property string subText: ""
    property string kind: "primary"   // primary | secondary | danger
    property bool enabledLook: enabled
    // One line, shrunk to fit (never below the small text size): a Chinese label may break
    // between any two characters, and 长者模 / 式：开 reads as nonsense.
    property bool oneLine: false
    property int pixelSize: theme.bodySize  // digits on a keypad read larger
    // Keys: a consequential button (a priority claim, a cancel) is never a screen's first focus;
    // initialFocus names the neutral one that is (see Main.qml's focusFirst).
    property bool consequential: false
    property bool initialFocus: false
    property int subPixelSize: theme.smallSize
    property url icon: ""  // a picture above the words (home's service tiles)
    property real iconSize: theme.touchTarget
    property bool iconBeside: false  // the picture left of the words (a wide, low tile)
    signal activated()

    // Implicit size from text metrics only: a size derived from the wrapped column would feed
    // back into its own width and never settle.
    implicitHeight: Math.max(theme.touchTarget, column.implicitHeight + theme.spacing * 2)
    implicitWidth: Math.max(theme.touchTarget * 2,
                            Math.min(metrics.advanceWidth, theme.mm * 120) + theme.spacing * 2)
    TextMetrics {
        id: metrics
        font.family: theme.fontFamily
        font.pixelSize: theme.bodySize
        font.bold: true
        text: button.text
    }
    radius: theme.radius
    color: !enabled ? theme.colours.background
           : kind === "primary" ? (area.pressed ? Qt.darker(theme.colours.primary, 1.2) : theme.colours.primary)
           : kind === "danger" ? theme.colours.accent
           : (area.pressed ? theme.colours.background : theme.colours.surface)
    // Keyboard focus (shown only while keys are in use, see kiosk/ui/keynav.py): a thick amber
    // border with a dark line inside it, visible on light and dark buttons alike. Drawn inside
    // the button, so a scrolled list's clipping never cuts it.
    readonly property bool focusShown: activeFocus && inputMode.keys
    readonly property real focusWidth: Math.max(5, theme.mm * 1.5)
    border.width: focusShown ? focusWidth : (kind === "secondary" ? 2 : 0)
    border.color: focusShown ? theme.colours.focus : theme.colours.border
    activeFocusOnTab: true
    Rectangle {
        objectName: "focusRing"
        visible: button.focusShown
        anchors.fill: parent
        anchors.margins: button.focusWidth
        radius: Math.max(0, button.radius - button.focusWidth / 2)
        color: "transparent"
        border.width: Math.max(2, theme.mm * 0.6)
        border.color: theme.colours.text
    }
    // A focused button inside a scrolled list is scrolled into view.
    onActiveFocusChanged: if (activeFocus) reveal()
    function reveal() {
        for (var p = parent; p; p = p.parent) {
            if (p.contentY !== undefined && p.flicking !== undefined) {
                var top = button.mapToItem(p.contentItem, 0, 0).y
                if (top < p.contentY)
                    p.contentY = Math.max(0, top - theme.spacing)
                else if (top + height > p.contentY + p.height)
                    p.contentY = Math.min(p.contentHeight - p.height, top + height - p.height + theme.spacing)
                return
            }
        }
    }
    Accessible.role: Accessible.Button
    Accessible.name: text
    Accessible.description: subText
    Accessible.onPressAction: if (enabled) button.activated()

    readonly property color fg: !enabled ? theme.colours.muted
                                : kind === "secondary" ? theme.colours.text : theme.colours.onPrimary

    readonly property bool hasIcon: icon.toString().length > 0
    Image {
        objectName: "icon"
        visible: button.hasIcon && button.iconBeside
        anchors.left: parent.left; anchors.leftMargin: theme.spacing * 2
        anchors.verticalCenter: parent.verticalCenter
        width: button.iconSize; height: button.iconSize
        sourceSize: Qt.size(button.iconSize, button.iconSize)  // drawn sharp at its size
        source: visible ? button.icon : ""
    }
    Column {
        id: column
        anchors.centerIn: parent
        readonly property real besideWidth: button.hasIcon && button.iconBeside
                                            ? button.iconSize + theme.spacing * 2 : 0
        anchors.horizontalCenterOffset: besideWidth / 2
        width: button.width - theme.spacing * 2 - besideWidth
        spacing: theme.spacing / 3
        Image {
            objectName: "icon"
            visible: button.hasIcon && !button.iconBeside
            anchors.horizontalCenter: parent.horizontalCenter
            width: button.iconSize; height: button.iconSize
            sourceSize: Qt.size(button.iconSize, button.iconSize)  // drawn sharp at its size
            source: visible ? button.icon : ""
        }
        Text {
            objectName: "label"
            width: parent.width
            text: button.text
            color: button.fg
            font.family: theme.fontFamily
            font.pixelSize: button.pixelSize
            font.bold: true
            horizontalAlignment: Text.AlignHCenter
            wrapMode: button.oneLine ? Text.NoWrap : Text.Wrap
            fontSizeMode: button.oneLine ? Text.HorizontalFit : Text.FixedSize
            minimumPixelSize: theme.smallSize
            elide: button.oneLine ? Text.ElideRight : Text.ElideNone
        }
        Text {
            objectName: "subText"
            width: parent.width
            visible: button.subText.length > 0
            text: button.subText
            color: button.fg
            font.family: theme.fontFamily
            font.pixelSize: button.subPixelSize
            horizontalAlignment: Text.AlignHCenter
            wrapMode: Text.Wrap
        }
    }
    MouseArea {
        id: area
        anchors.fill: parent
        enabled: button.enabled
        onClicked: button.activated()
    }
    Keys.onReturnPressed: if (enabled) activated()
    Keys.onEnterPressed: if (enabled) activated()
    Keys.onSpacePressed: if (enabled) activated()
}
