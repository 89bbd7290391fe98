# Generated from ui/recovery_key_dialog.ui by `make ui`: do not edit.
from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QFormLayout, QLabel, QLineEdit, QSizePolicy,
    QSpacerItem, QStackedWidget, QVBoxLayout, QWidget)

from prevent_desktop.ui.recovery_key_sheet import RecoveryKeyPanel

class Ui_RecoveryKeyDialog(object):
    def setupUi(self, RecoveryKeyDialog):
        if not RecoveryKeyDialog.objectName():
            RecoveryKeyDialog.setObjectName(u"RecoveryKeyDialog")
        RecoveryKeyDialog.resize(620, 300)
        self.dialogLayout = QVBoxLayout(RecoveryKeyDialog)
        self.dialogLayout.setSpacing(12)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.pages = QStackedWidget(RecoveryKeyDialog)
        self.pages.setObjectName(u"pages")
        self.confirmPage = QWidget()
        self.confirmPage.setObjectName(u"confirmPage")
        self.confirmLayout = QVBoxLayout(self.confirmPage)
        self.confirmLayout.setSpacing(12)
        self.confirmLayout.setObjectName(u"confirmLayout")
        self.confirmIntroLabel = QLabel(self.confirmPage)
        self.confirmIntroLabel.setObjectName(u"confirmIntroLabel")
        self.confirmIntroLabel.setWordWrap(True)

        self.confirmLayout.addWidget(self.confirmIntroLabel)

        self.confirmForm = QFormLayout()
        self.confirmForm.setObjectName(u"confirmForm")
        self.confirmForm.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.passphraseLabel = QLabel(self.confirmPage)
        self.passphraseLabel.setObjectName(u"passphraseLabel")

        self.confirmForm.setWidget(0, QFormLayout.ItemRole.LabelRole, self.passphraseLabel)

        self.passphraseEdit = QLineEdit(self.confirmPage)
        self.passphraseEdit.setObjectName(u"passphraseEdit")
        self.passphraseEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.confirmForm.setWidget(0, QFormLayout.ItemRole.FieldRole, self.passphraseEdit)


        self.confirmLayout.addLayout(self.confirmForm)

        self.errorLabel = QLabel(self.confirmPage)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.confirmLayout.addWidget(self.errorLabel)

        self.confirmSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.confirmLayout.addItem(self.confirmSpacer)

        self.pages.addWidget(self.confirmPage)
        self.keyPage = QWidget()
        self.keyPage.setObjectName(u"keyPage")
        self.keyLayout = QVBoxLayout(self.keyPage)
        self.keyLayout.setSpacing(12)
        self.keyLayout.setObjectName(u"keyLayout")
        self.warningLabel = QLabel(self.keyPage)
        self.warningLabel.setObjectName(u"warningLabel")
        self.warningLabel.setWordWrap(True)

        self.keyLayout.addWidget(self.warningLabel)

        self.keyPanel = RecoveryKeyPanel(self.keyPage)
        self.keyPanel.setObjectName(u"keyPanel")

        self.keyLayout.addWidget(self.keyPanel)

        self.keySpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.keyLayout.addItem(self.keySpacer)

        self.pages.addWidget(self.keyPage)

        self.dialogLayout.addWidget(self.pages)

        self.buttonBox = QDialogButtonBox(RecoveryKeyDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel)

        self.dialogLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.passphraseLabel.setBuddy(self.passphraseEdit)
#endif // QT_CONFIG(shortcut)

        self.retranslateUi(RecoveryKeyDialog)
        self.buttonBox.rejected.connect(RecoveryKeyDialog.reject)

        QMetaObject.connectSlotsByName(RecoveryKeyDialog)
    # setupUi

    def retranslateUi(self, RecoveryKeyDialog):
        RecoveryKeyDialog.setWindowTitle(QCoreApplication.translate("RecoveryKeyDialog", u"Prevent Desktop \u2014 Recovery key", None))
        self.confirmIntroLabel.setText(QCoreApplication.translate("RecoveryKeyDialog", u"The recovery key opens this database without any passphrase, in Prevent Desktop or in any SQLCipher 4 tool. Enter your own passphrase to show it.", None))
        self.passphraseLabel.setText(QCoreApplication.translate("RecoveryKeyDialog", u"Your &passphrase:", None))
    # retranslateUi

