# Generated from ui/threat_level_dialog.ui by `make ui`: do not edit.
from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QBrush, QColor, QConicalGradient, QCursor,
    QFont, QFontDatabase, QGradient, QIcon,
    QImage, QKeySequence, QLinearGradient, QPainter,
    QPalette, QPixmap, QRadialGradient, QTransform)
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractScrollArea, QApplication,
    QComboBox, QDateEdit, QDialog, QDialogButtonBox,
    QFormLayout, QFrame, QGroupBox, QHBoxLayout,
    QHeaderView, QLabel, QLineEdit, QPushButton,
    QScrollArea, QSizePolicy, QSpacerItem, QTableView,
    QVBoxLayout, QWidget)

from prevent_desktop.ui.threat_level_badge import ThreatLevelBadge

class Ui_ThreatLevelDialog(object):
    def setupUi(self, ThreatLevelDialog):
        if not ThreatLevelDialog.objectName():
            ThreatLevelDialog.setObjectName(u"ThreatLevelDialog")
        ThreatLevelDialog.resize(680, 600)
        self.dialogLayout = QVBoxLayout(ThreatLevelDialog)
        self.dialogLayout.setSpacing(12)
        self.dialogLayout.setObjectName(u"dialogLayout")
        self.scrollArea = QScrollArea(ThreatLevelDialog)
        self.scrollArea.setObjectName(u"scrollArea")
        self.scrollArea.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scrollArea.setFrameShape(QFrame.Shape.NoFrame)
        self.scrollArea.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
        self.scrollArea.setWidgetResizable(True)
        self.scrollBody = QWidget()
        self.scrollBody.setObjectName(u"scrollBody")
        self.bodyLayout = QVBoxLayout(self.scrollBody)
        self.bodyLayout.setSpacing(12)
        self.bodyLayout.setObjectName(u"bodyLayout")
        self.bodyLayout.setContentsMargins(0, 0, 0, 0)
        self.currentGroup = QGroupBox(self.scrollBody)
        self.currentGroup.setObjectName(u"currentGroup")
        self.currentLayout = QHBoxLayout(self.currentGroup)
        self.currentLayout.setSpacing(16)
        self.currentLayout.setObjectName(u"currentLayout")
        self.currentBadge = ThreatLevelBadge(self.currentGroup)
        self.currentBadge.setObjectName(u"currentBadge")

        self.currentLayout.addWidget(self.currentBadge)

        self.currentTextLayout = QVBoxLayout()
        self.currentTextLayout.setSpacing(4)
        self.currentTextLayout.setObjectName(u"currentTextLayout")
        self.currentMeaningLabel = QLabel(self.currentGroup)
        self.currentMeaningLabel.setObjectName(u"currentMeaningLabel")
        self.currentMeaningLabel.setWordWrap(True)

        self.currentTextLayout.addWidget(self.currentMeaningLabel)

        self.currentSinceLabel = QLabel(self.currentGroup)
        self.currentSinceLabel.setObjectName(u"currentSinceLabel")
        self.currentSinceLabel.setWordWrap(True)

        self.currentTextLayout.addWidget(self.currentSinceLabel)


        self.currentLayout.addLayout(self.currentTextLayout)

        self.currentLayout.setStretch(1, 1)

        self.bodyLayout.addWidget(self.currentGroup)

        self.historyGroup = QGroupBox(self.scrollBody)
        self.historyGroup.setObjectName(u"historyGroup")
        self.historyLayout = QVBoxLayout(self.historyGroup)
        self.historyLayout.setObjectName(u"historyLayout")
        self.historyView = QTableView(self.historyGroup)
        self.historyView.setObjectName(u"historyView")
        self.historyView.setTabKeyNavigation(False)
        self.historyView.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.historyView.setAlternatingRowColors(True)
        self.historyView.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.historyView.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.historyView.setWordWrap(True)
        self.historyView.horizontalHeader().setStretchLastSection(True)
        self.historyView.verticalHeader().setVisible(False)

        self.historyLayout.addWidget(self.historyView)


        self.bodyLayout.addWidget(self.historyGroup)

        self.viewOnlyLabel = QLabel(self.scrollBody)
        self.viewOnlyLabel.setObjectName(u"viewOnlyLabel")
        self.viewOnlyLabel.setWordWrap(True)

        self.bodyLayout.addWidget(self.viewOnlyLabel)

        self.formGroup = QGroupBox(self.scrollBody)
        self.formGroup.setObjectName(u"formGroup")
        self.formOuterLayout = QVBoxLayout(self.formGroup)
        self.formOuterLayout.setObjectName(u"formOuterLayout")
        self.formIntroLabel = QLabel(self.formGroup)
        self.formIntroLabel.setObjectName(u"formIntroLabel")
        self.formIntroLabel.setWordWrap(True)

        self.formOuterLayout.addWidget(self.formIntroLabel)

        self.formLayout = QFormLayout()
        self.formLayout.setObjectName(u"formLayout")
        self.formLayout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.levelLabel = QLabel(self.formGroup)
        self.levelLabel.setObjectName(u"levelLabel")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.LabelRole, self.levelLabel)

        self.levelCombo = QComboBox(self.formGroup)
        self.levelCombo.setObjectName(u"levelCombo")

        self.formLayout.setWidget(0, QFormLayout.ItemRole.FieldRole, self.levelCombo)

        self.effectiveLabel = QLabel(self.formGroup)
        self.effectiveLabel.setObjectName(u"effectiveLabel")

        self.formLayout.setWidget(1, QFormLayout.ItemRole.LabelRole, self.effectiveLabel)

        self.effectiveDateEdit = QDateEdit(self.formGroup)
        self.effectiveDateEdit.setObjectName(u"effectiveDateEdit")
        self.effectiveDateEdit.setCalendarPopup(True)

        self.formLayout.setWidget(1, QFormLayout.ItemRole.FieldRole, self.effectiveDateEdit)

        self.noteLabel = QLabel(self.formGroup)
        self.noteLabel.setObjectName(u"noteLabel")

        self.formLayout.setWidget(2, QFormLayout.ItemRole.LabelRole, self.noteLabel)

        self.noteEdit = QLineEdit(self.formGroup)
        self.noteEdit.setObjectName(u"noteEdit")
        self.noteEdit.setMaxLength(500)

        self.formLayout.setWidget(2, QFormLayout.ItemRole.FieldRole, self.noteEdit)


        self.formOuterLayout.addLayout(self.formLayout)

        self.formMessageLabel = QLabel(self.formGroup)
        self.formMessageLabel.setObjectName(u"formMessageLabel")
        self.formMessageLabel.setWordWrap(True)
        self.formMessageLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.formOuterLayout.addWidget(self.formMessageLabel)

        self.saveLayout = QHBoxLayout()
        self.saveLayout.setObjectName(u"saveLayout")
        self.saveSpacer = QSpacerItem(0, 0, QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

        self.saveLayout.addItem(self.saveSpacer)

        self.saveButton = QPushButton(self.formGroup)
        self.saveButton.setObjectName(u"saveButton")
        self.saveButton.setAutoDefault(False)

        self.saveLayout.addWidget(self.saveButton)


        self.formOuterLayout.addLayout(self.saveLayout)


        self.bodyLayout.addWidget(self.formGroup)

        self.scrollArea.setWidget(self.scrollBody)

        self.dialogLayout.addWidget(self.scrollArea)

        self.buttonBox = QDialogButtonBox(ThreatLevelDialog)
        self.buttonBox.setObjectName(u"buttonBox")
        self.buttonBox.setStandardButtons(QDialogButtonBox.StandardButton.Close)

        self.dialogLayout.addWidget(self.buttonBox)

#if QT_CONFIG(shortcut)
        self.levelLabel.setBuddy(self.levelCombo)
        self.effectiveLabel.setBuddy(self.effectiveDateEdit)
        self.noteLabel.setBuddy(self.noteEdit)
#endif // QT_CONFIG(shortcut)
        QWidget.setTabOrder(self.historyView, self.levelCombo)
        QWidget.setTabOrder(self.levelCombo, self.effectiveDateEdit)
        QWidget.setTabOrder(self.effectiveDateEdit, self.noteEdit)
        QWidget.setTabOrder(self.noteEdit, self.saveButton)

        self.retranslateUi(ThreatLevelDialog)
        self.buttonBox.rejected.connect(ThreatLevelDialog.reject)

        QMetaObject.connectSlotsByName(ThreatLevelDialog)
    # setupUi

    def retranslateUi(self, ThreatLevelDialog):
        ThreatLevelDialog.setWindowTitle(QCoreApplication.translate("ThreatLevelDialog", u"Prevent Desktop \u2014 National threat level", None))
        self.currentGroup.setTitle(QCoreApplication.translate("ThreatLevelDialog", u"Current level", None))
        self.historyGroup.setTitle(QCoreApplication.translate("ThreatLevelDialog", u"History", None))
#if QT_CONFIG(accessibility)
        self.historyView.setAccessibleName(QCoreApplication.translate("ThreatLevelDialog", u"History of the national threat level", None))
#endif // QT_CONFIG(accessibility)
        self.viewOnlyLabel.setText(QCoreApplication.translate("ThreatLevelDialog", u"Only a manager can record a change of level.", None))
        self.formGroup.setTitle(QCoreApplication.translate("ThreatLevelDialog", u"Record a change of level", None))
        self.formIntroLabel.setText(QCoreApplication.translate("ThreatLevelDialog", u"The level is set by the Joint Terrorism Analysis Centre (JTAC) and MI5 and published on mi5.gov.uk. Record it here when it changes, with the date it took effect.", None))
        self.levelLabel.setText(QCoreApplication.translate("ThreatLevelDialog", u"&Level:", None))
        self.effectiveLabel.setText(QCoreApplication.translate("ThreatLevelDialog", u"Took &effect on:", None))
        self.effectiveDateEdit.setDisplayFormat(QCoreApplication.translate("ThreatLevelDialog", u"dd/MM/yyyy", None))
        self.noteLabel.setText(QCoreApplication.translate("ThreatLevelDialog", u"&Note:", None))
        self.noteEdit.setPlaceholderText(QCoreApplication.translate("ThreatLevelDialog", u"Optional: where the change was announced, or what the site did in response", None))
        self.saveButton.setText(QCoreApplication.translate("ThreatLevelDialog", u"&Record change", None))
    # retranslateUi

