// A QR code a citizen can scan with a phone, with a caption underneath (e.g. "扫码查看排队进度").
import QtQuick
import Kiosk.Native 1.0

Item {
    id: root
    property string text: ""
    property string caption: ""
    property int qrSize: 280
    property color darkColor: "black"
    property color lightColor: "white"
    property alias captionColor: captionLabel.color
    property int captionPixelSize: 22

    implicitWidth: qrSize
    implicitHeight: qrSize + (caption.length > 0 ? captionLabel.implicitHeight + 12 : 0)

    QrCodeItem {
        id: qrItem
        objectName: "qrCodeItem"
        // whole pixels: a half-pixel offset would blur every module edge
        x: Math.round((root.width - width) / 2)
        y: 0
        width: root.qrSize
        height: root.qrSize
        text: root.text
        darkColor: root.darkColor
        lightColor: root.lightColor
    }

    Text {
        id: captionLabel
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
