// A QR code a citizen can scan with a phone, with a caption underneath (e.g. "扫码查看排队进度").
// The code is drawn by kiosk/ui/qr.py through the "qr" image provider at exactly qrSize pixels:
// whole-pixel modules, never scaled or smoothed afterwards.
import QtQuick

Item {
    id: root
    property string text: ""
    property string caption: ""
    property int qrSize: 280
    property color darkColor: "black"
    property color lightColor: "white"
    property alias captionColor: captionLabel.color
    // captions at the kiosk's caption size (the code is also drawn standalone, without a theme)
    property int captionPixelSize: typeof theme !== "undefined" ? theme.smallSize : 22

    implicitWidth: qrSize
    implicitHeight: qrSize + (caption.length > 0 ? captionLabel.implicitHeight + 12 : 0)

    function hex(colour) { return String(colour).replace("#", "") }

    Image {
        id: qrItem
        objectName: "qrCodeItem"
        readonly property string text: root.text  // what the code says (tests read it back)
        // whole pixels: a half-pixel offset would blur every module edge
        x: Math.round((root.width - width) / 2)
        y: 0
        width: root.qrSize
        height: root.qrSize
        sourceSize: Qt.size(root.qrSize, root.qrSize)
        source: root.text.length > 0 && root.qrSize > 0
                ? "image://qr/" + root.hex(root.darkColor) + "/" + root.hex(root.lightColor)
                  + "/M/" + encodeURIComponent(root.text)
                : ""
        smooth: false
        mipmap: false
        cache: false  // every code is shown once: nothing worth keeping in Qt's pixmap cache
        fillMode: Image.Pad
    }

    Text {
        id: captionLabel
        objectName: "qrCaption"
        // Placed by numbers, not anchors: anchors to a sibling read null while the scene is
        // torn down (a TypeError in the log at every app close).
        y: root.qrSize + 12
        width: root.width
        visible: root.caption.length > 0
        text: root.caption
        font.family: "Noto Sans CJK SC"
        font.pixelSize: root.captionPixelSize
        color: "#222222"
        wrapMode: Text.Wrap
        horizontalAlignment: Text.AlignHCenter
    }
}
