# Generated from ui/unlock_window.ui by `make ui`: do not edit.
from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QApplication, QCheckBox, QComboBox, QFormLayout,
    QHBoxLayout, QLabel, QLineEdit, QProgressBar,
    QPushButton, QSizePolicy, QSpacerItem, QVBoxLayout,
    QWidget)

class Ui_UnlockWindow(object):
    def setupUi(self, UnlockWindow):
        if not UnlockWindow.objectName():
            UnlockWindow.setObjectName(u"UnlockWindow")
        UnlockWindow.resize(500, 330)
        UnlockWindow.setMinimumSize(QSize(460, 0))
        self.outerLayout = QVBoxLayout(UnlockWindow)
        self.outerLayout.setSpacing(12)
        self.outerLayout.setObjectName(u"outerLayout")
        self.outerLayout.setContentsMargins(28, 24, 28, 20)
        self.titleLabel = QLabel(UnlockWindow)
        self.titleLabel.setObjectName(u"titleLabel")

        self.outerLayout.addWidget(self.titleLabel)

        self.databaseLabel = QLabel(UnlockWindow)
        self.databaseLabel.setObjectName(u"databaseLabel")
        self.databaseLabel.setWordWrap(True)
        self.databaseLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.outerLayout.addWidget(self.databaseLabel)

        self.noticeLabel = QLabel(UnlockWindow)
        self.noticeLabel.setObjectName(u"noticeLabel")
        self.noticeLabel.setWordWrap(True)

        self.outerLayout.addWidget(self.noticeLabel)

        self.formLayout = QFormLayout()
        self.formLayout.setObjectName(u"formLayout")
        self.formLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.formLayout.setHorizontalSpacing(12)
        self.formLayout.setVerticalSpacing(10)
        self.userLabel = QLabel(UnlockWindow)
        self.userLabel.setObjectName(u"userLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.userLabel)

        self.userCombo = QComboBox(UnlockWindow)
        self.userCombo.setObjectName(u"userCombo")
        self.userCombo.setEditable(True)
        self.userCombo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.userCombo)

        self.passphraseLabel = QLabel(UnlockWindow)
        self.passphraseLabel.setObjectName(u"passphraseLabel")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.passphraseLabel)

        self.passphraseEdit = QLineEdit(UnlockWindow)
        self.passphraseEdit.setObjectName(u"passphraseEdit")
        self.passphraseEdit.setEchoMode(QLineEdit.EchoMode.Password)

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.passphraseEdit)

        self.rememberCheck = QCheckBox(UnlockWindow)
        self.rememberCheck.setObjectName(u"rememberCheck")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.rememberCheck)

        self.keychainNote = QLabel(UnlockWindow)
        self.keychainNote.setObjectName(u"keychainNote")
        self.keychainNote.setWordWrap(True)

        self.formLayout.setWidget(3, QFormLayout.ItemRole.FieldRole, self.keychainNote)


        self.outerLayout.addLayout(self.formLayout)

        self.errorLabel = QLabel(UnlockWindow)
        self.errorLabel.setObjectName(u"errorLabel")
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.outerLayout.addWidget(self.errorLabel)

        self.busyLayout = QHBoxLayout()
        self.busyLayout.setSpacing(8)
        self.busyLayout.setObjectName(u"busyLayout")
        self.busyBar = QProgressBar(UnlockWindow)
        self.busyBar.setObjectName(u"busyBar")
        self.busyBar.setMaximumSize(QSize(120, 10))
        self.busyBar.setMaximum(0)
        self.busyBar.setTextVisible(False)

        self.busyLayout.addWidget(self.busyBar)

        self.busyLabel = QLabel(UnlockWindow)
        self.busyLabel.setObjectName(u"busyLabel")

        self.busyLayout.addWidget(self.busyLabel)

        self.busySpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.busyLayout.addItem(self.busySpacer)


        self.outerLayout.addLayout(self.busyLayout)

        self.recoveryLayout = QHBoxLayout()
        self.recoveryLayout.setSpacing(4)
        self.recoveryLayout.setObjectName(u"recoveryLayout")
        self.recoveryLabel = QLabel(UnlockWindow)
        self.recoveryLabel.setObjectName(u"recoveryLabel")

        self.recoveryLayout.addWidget(self.recoveryLabel)

        self.recoveryButton = QPushButton(UnlockWindow)
        self.recoveryButton.setObjectName(u"recoveryButton")
        self.recoveryButton.setFlat(True)
        self.recoveryButton.setAutoDefault(False)

        self.recoveryLayout.addWidget(self.recoveryButton)

        self.recoverySpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.recoveryLayout.addItem(self.recoverySpacer)


        self.outerLayout.addLayout(self.recoveryLayout)

        self.verticalSpacer = QSpacerItem(0, 8, QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Expanding)

        self.outerLayout.addItem(self.verticalSpacer)

        self.buttonLayout = QHBoxLayout()
        self.buttonLayout.setObjectName(u"buttonLayout")
        self.forgottenLabel = QLabel(UnlockWindow)
        self.forgottenLabel.setObjectName(u"forgottenLabel")

        self.buttonLayout.addWidget(self.forgottenLabel)

        self.quitButton = QPushButton(UnlockWindow)
        self.quitButton.setObjectName(u"quitButton")
        self.quitButton.setAutoDefault(False)

        self.buttonLayout.addWidget(self.quitButton)

        self.unlockButton = QPushButton(UnlockWindow)
        self.unlockButton.setObjectName(u"unlockButton")

        self.buttonLayout.addWidget(self.unlockButton)


        self.outerLayout.addLayout(self.buttonLayout)

#if QT_CONFIG(shortcut)
        self.userLabel.setBuddy(self.userCombo)
        self.passphraseLabel.setBuddy(self.passphraseEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.userCombo, self.passphraseEdit)
        QWidget.setTabOrder(self.passphraseEdit, self.rememberCheck)
        QWidget.setTabOrder(self.rememberCheck, self.unlockButton)
        QWidget.setTabOrder(self.unlockButton, self.quitButton)
        QWidget.setTabOrder(self.quitButton, self.recoveryButton)

        self.retranslateUi(UnlockWindow)

        self.unlockButton.setDefault(True)


        QMetaObject.connectSlotsByName(UnlockWindow)
    # setupUi

    def retranslateUi(self, UnlockWindow):
        UnlockWindow.setWindowTitle(QCoreApplication.translate("UnlockWindow", u"Prevent Desktop \u2014 Unlock", None))
        self.titleLabel.setText(QCoreApplication.translate("UnlockWindow", u"Prevent Desktop", None))
        self.databaseLabel.setText(QCoreApplication.translate("UnlockWindow", u"Unlock the database", None))
        self.noticeLabel.setText(QCoreApplication.translate("UnlockWindow", u"Prevent Desktop was locked. Enter your passphrase to carry on.", None))
        self.userLabel.setText(QCoreApplication.translate("UnlockWindow", u"&User", None))
        self.passphraseLabel.setText(QCoreApplication.translate("UnlockWindow", u"&Passphrase", None))
        self.passphraseEdit.setPlaceholderText(QCoreApplication.translate("UnlockWindow", u"Your passphrase", None))
        self.rememberCheck.setText(QCoreApplication.translate("UnlockWindow", u"&Remember on this computer", None))
#if QT_CONFIG(tooltip)
        self.rememberCheck.setToolTip(QCoreApplication.translate("UnlockWindow", u"Keep your sign-in in this computer's system keychain, so Prevent Desktop opens without your passphrase when it starts. After a lock you still type it.", None))
#endif // QT_CONFIG(tooltip)
        self.keychainNote.setText("")
        self.errorLabel.setText("")
        self.busyLabel.setText(QCoreApplication.translate("UnlockWindow", u"Unlocking\u2026", None))
        self.recoveryLabel.setText(QCoreApplication.translate("UnlockWindow", u"Forgotten the passphrase or lost the key file?", None))
#if QT_CONFIG(tooltip)
        self.recoveryButton.setToolTip(QCoreApplication.translate("UnlockWindow", u"A manager can set a new passphrase with the recovery key from the printed sheet. This also rebuilds a missing or damaged key file.", None))
#endif // QT_CONFIG(tooltip)
        self.recoveryButton.setText(QCoreApplication.translate("UnlockWindow", u"Use the recovery &key\u2026", None))
        self.forgottenLabel.setText(QCoreApplication.translate("UnlockWindow", u"Forgotten it? A manager can reset it.", None))
        self.quitButton.setText(QCoreApplication.translate("UnlockWindow", u"&Quit", None))
        self.unlockButton.setText(QCoreApplication.translate("UnlockWindow", u"U&nlock", None))
    # retranslateUi

