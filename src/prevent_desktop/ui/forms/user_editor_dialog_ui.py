# Generated from ui/user_editor_dialog.ui by `make ui`: do not edit.
from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QCheckBox, QComboBox,
    QDialog, QDialogButtonBox, QFormLayout, QGroupBox,
    QLabel, QLineEdit, QSizePolicy, QSpacerItem,
    QVBoxLayout, QWidget)

from prevent_desktop.ui.passphrase_fields import NewPassphraseFields

class Ui_UserEditorDialog(object):
    def setupUi(self, UserEditorDialog):
        if not UserEditorDialog.objectName():
            UserEditorDialog.setObjectName(u"UserEditorDialog")
        UserEditorDialog.resize(540, 540)
        self.dialogLayout = QVBoxLayout(UserEditorDialog)
        self.dialogLayout.setSpacing(12)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.personGroup = QGroupBox(UserEditorDialog)
        self.personGroup.setObjectName(u"personGroup")
        self.personLayout = QFormLayout(self.personGroup)
        self.personLayout.setObjectName(u"personLayout")
        self.personLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.displayNameLabel = QLabel(self.personGroup)
        self.displayNameLabel.setObjectName(u"displayNameLabel")

        self.personLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.displayNameLabel)

        self.displayNameEdit = QLineEdit(self.personGroup)
        self.displayNameEdit.setObjectName(u"displayNameEdit")
        self.displayNameEdit.setMaxLength(120)

        self.personLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.displayNameEdit)

        self.loginLabel = QLabel(self.personGroup)
        self.loginLabel.setObjectName(u"loginLabel")

        self.personLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.loginLabel)

        self.loginEdit = QLineEdit(self.personGroup)
        self.loginEdit.setObjectName(u"loginEdit")
        self.loginEdit.setMaxLength(64)

        self.personLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.loginEdit)

        self.roleLabel = QLabel(self.personGroup)
        self.roleLabel.setObjectName(u"roleLabel")

        self.personLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.roleLabel)

        self.roleCombo = QComboBox(self.personGroup)
        self.roleCombo.setObjectName(u"roleCombo")

        self.personLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.roleCombo)

        self.leadCheck = QCheckBox(self.personGroup)
        self.leadCheck.setObjectName(u"leadCheck")

        self.personLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.leadCheck)

        self.roleHintLabel = QLabel(self.personGroup)
        self.roleHintLabel.setObjectName(u"roleHintLabel")
        sizePolicy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        sizePolicy.setHorizontalStretch(0)
        sizePolicy.setVerticalStretch(0)
        sizePolicy.setHeightForWidth(self.roleHintLabel.sizePolicy().hasHeightForWidth())
        self.roleHintLabel.setSizePolicy(sizePolicy)
        self.roleHintLabel.setMinimumSize(QSize(300, 0))
        self.roleHintLabel.setWordWrap(True)

        self.personLayout.setWidget(4, QFormLayout.ItemRole.FieldRole, self.roleHintLabel)


        self.dialogLayout.addWidget(self.personGroup)

        self.passphraseGroup = QGroupBox(UserEditorDialog)
        self.passphraseGroup.setObjectName(u"passphraseGroup")
        self.passphraseLayout = QVBoxLayout(self.passphraseGroup)
        self.passphraseLayout.setObjectName(u"passphraseLayout")
        self.passphraseIntroLabel = QLabel(self.passphraseGroup)
        self.passphraseIntroLabel.setObjectName(u"passphraseIntroLabel")
        self.passphraseIntroLabel.setWordWrap(True)

        self.passphraseLayout.addWidget(self.passphraseIntroLabel)

        self.passphraseFields = NewPassphraseFields(self.passphraseGroup)
        self.passphraseFields.setObjectName(u"passphraseFields")

        self.passphraseLayout.addWidget(self.passphraseFields)


        self.dialogLayout.addWidget(self.passphraseGroup)

        self.errorLabel = QLabel(UserEditorDialog)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.dialogLayout.addWidget(self.errorLabel)

        self.bottomSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.dialogLayout.addItem(self.bottomSpacer)

        self.buttonBox = QDialogButtonBox(UserEditorDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Cancel|QDialogButtonBox.StandardButton.Save)

        self.dialogLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.displayNameLabel.setBuddy(self.displayNameEdit)
        self.loginLabel.setBuddy(self.loginEdit)
        self.roleLabel.setBuddy(self.roleCombo)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.displayNameEdit, self.loginEdit)
        QWidget.setTabOrder(self.loginEdit, self.roleCombo)
        QWidget.setTabOrder(self.roleCombo, self.leadCheck)

        self.retranslateUi(UserEditorDialog)
        self.buttonBox.rejected.connect(UserEditorDialog.reject)

        QMetaObject.connectSlotsByName(UserEditorDialog)
    # setupUi

    def retranslateUi(self, UserEditorDialog):
        UserEditorDialog.setWindowTitle(QCoreApplication.translate("UserEditorDialog", u"Prevent Desktop \u2014 Add user", None))
        self.personGroup.setTitle(QCoreApplication.translate("UserEditorDialog", u"Person", None))
        self.displayNameLabel.setText(QCoreApplication.translate("UserEditorDialog", u"&Full name:", None))
        self.displayNameEdit.setPlaceholderText(QCoreApplication.translate("UserEditorDialog", u"e.g. Jo Smith", None))
        self.loginLabel.setText(QCoreApplication.translate("UserEditorDialog", u"&User name:", None))
        self.loginEdit.setPlaceholderText(QCoreApplication.translate("UserEditorDialog", u"e.g. j.smith (used to sign in; cannot be changed later)", None))
        self.roleLabel.setText(QCoreApplication.translate("UserEditorDialog", u"&Role:", None))
        self.leadCheck.setText(QCoreApplication.translate("UserEditorDialog", u"Also the designated &safeguarding lead (DSL / Prevent lead)", None))
        self.passphraseGroup.setTitle(QCoreApplication.translate("UserEditorDialog", u"First passphrase", None))
        self.passphraseIntroLabel.setText(QCoreApplication.translate("UserEditorDialog", u"Give it to them in person. They can change it after signing in (Account \u25b8 Change my passphrase).", None))
    # retranslateUi

