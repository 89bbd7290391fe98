# Generated from ui/change_passphrase_dialog.ui by `make ui`: do not edit.
from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QFormLayout, QLabel, QLineEdit, QSizePolicy,
    QSpacerItem, QVBoxLayout, QWidget)

from prevent_desktop.ui.passphrase_fields import NewPassphraseFields

class Ui_ChangePassphraseDialog(object):
    def setupUi(self, ChangePassphraseDialog):
        if not ChangePassphraseDialog.objectName():
            ChangePassphraseDialog.setObjectName(u"ChangePassphraseDialog")
        ChangePassphraseDialog.resize(500, 340)
        self.dialogLayout = QVBoxLayout(ChangePassphraseDialog)
        self.dialogLayout.setSpacing(12)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.introLabel = QLabel(ChangePassphraseDialog)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.dialogLayout.addWidget(self.introLabel)

        self.currentLayout = QFormLayout()
        self.currentLayout.setObjectName(u"currentLayout")
        self.currentLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.currentLabel = QLabel(ChangePassphraseDialog)
        self.currentLabel.setObjectName(u"currentLabel")

        self.currentLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.currentLabel)

        self.currentEdit = QLineEdit(ChangePassphraseDialog)
        self.currentEdit.setObjectName(u"currentEdit")
        self.currentEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.currentLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.currentEdit)


        self.dialogLayout.addLayout(self.currentLayout)

        self.passphraseFields = NewPassphraseFields(ChangePassphraseDialog)
        self.passphraseFields.setObjectName(u"passphraseFields")

        self.dialogLayout.addWidget(self.passphraseFields)

        self.errorLabel = QLabel(ChangePassphraseDialog)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.dialogLayout.addWidget(self.errorLabel)

        self.bottomSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.dialogLayout.addItem(self.bottomSpacer)

        self.buttonBox = QDialogButtonBox(ChangePassphraseDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.dialogLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.currentLabel.setBuddy(self.currentEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.currentEdit, self.passphraseFields)

        self.retranslateUi(ChangePassphraseDialog)
        self.buttonBox.rejected.connect(ChangePassphraseDialog.reject)

        QMetaObject.connectSlotsByName(ChangePassphraseDialog)
    # setupUi

    def retranslateUi(self, ChangePassphraseDialog):
        ChangePassphraseDialog.setWindowTitle(QCoreApplication.translate("ChangePassphraseDialog", u"Prevent Desktop \u2014 Change my passphrase", None))
        self.introLabel.setText(QCoreApplication.translate("ChangePassphraseDialog", u"Your passphrase unlocks the database for you alone. Changing it does not change anyone else's, and the recovery key stays the same.", None))
        self.currentLabel.setText(QCoreApplication.translate("ChangePassphraseDialog", u"&Current passphrase:", None))
    # retranslateUi

