// The on-screen keyboard: Qt Virtual Keyboard's InputPanel with Chinese (pinyin) and English.
import QtQuick
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

InputPanel {
    id: panel
    objectName: "inputPanel"
    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["zh_CN", "en_US"]
        VirtualKeyboardSettings.locale = shell.language === "en" ? "en_US" : "zh_CN"
    }
    Connections {
        target: shell
        function onLanguageChanged() {
            VirtualKeyboardSettings.locale = shell.language === "en" ? "en_US" : "zh_CN"
        }
    }
}
