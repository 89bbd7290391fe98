# Generated from ui/reset_passphrase_dialog.ui by `make ui`: do not edit.
from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDialog, QDialogButtonBox,
    QLabel, QSizePolicy, QSpacerItem, QVBoxLayout,
    QWidget)

from prevent_desktop.ui.passphrase_fields import NewPassphraseFields

class Ui_ResetPassphraseDialog(object):
    def setupUi(self, ResetPassphraseDialog):
        if not ResetPassphraseDialog.objectName():
            ResetPassphraseDialog.setObjectName(u"ResetPassphraseDialog")
        ResetPassphraseDialog.resize(500, 300)
        self.dialogLayout = QVBoxLayout(ResetPassphraseDialog)
        self.dialogLayout.setSpacing(12)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.introLabel = QLabel(ResetPassphraseDialog)
        self.introLabel.setObjectName(u"introLabel")
        self.introLabel.setWordWrap(True)

        self.dialogLayout.addWidget(self.introLabel)

        self.passphraseFields = NewPassphraseFields(ResetPassphraseDialog)
        self.passphraseFields.setObjectName(u"passphraseFields")

        self.dialogLayout.addWidget(self.passphraseFields)

        self.errorLabel = QLabel(ResetPassphraseDialog)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.dialogLayout.addWidget(self.errorLabel)

        self.bottomSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.dialogLayout.addItem(self.bottomSpacer)

        self.buttonBox = QDialogButtonBox(ResetPassphraseDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.dialogLayout.addWidget(self.buttonBox)


        self.retranslateUi(ResetPassphraseDialog)
        self.buttonBox.rejected.connect(ResetPassphraseDialog.reject)

        QMetaObject.connectSlotsByName(ResetPassphraseDialog)
    # setupUi

    def retranslateUi(self, ResetPassphraseDialog):
        ResetPassphraseDialog.setWindowTitle(QCoreApplication.translate("ResetPassphraseDialog", u"Prevent Desktop \u2014 Reset passphrase", None))
    # retranslateUi

