# Generated from ui/main_window.ui by `make ui`: do not edit.
from PySide6.QtCore import (QCoreApplication, QDate, QDateTime, QLocale,
    QMetaObject, QObject, QPoint, QRect,
    QSize, QTime, QUrl, Qt)
from PySide6.QtGui import (QAction, QBrush, QColor, QConicalGradient,
    QCursor, QFont, QFontDatabase, QGradient,
    QIcon, QImage, QKeySequence, QLinearGradient,
    QPainter, QPalette, QPixmap, QRadialGradient,
    QTransform)
from PySide6.QtWidgets import (QApplication, QMainWindow, QMenu, QMenuBar,
    QSizePolicy, QStatusBar, QTabWidget, QVBoxLayout,
    QWidget)

class Ui_MainWindow(object):
    def setupUi(self, MainWindow):
        if not MainWindow.objectName():
            MainWindow.setObjectName(u"MainWindow")
        MainWindow.resize(1120, 720)
        MainWindow.setMinimumSize(QSize(760, 480))
        self.actionChangePassphrase = QAction(MainWindow)
        self.actionChangePassphrase.setObjectName(u"actionChangePassphrase")
        self.actionShowRecoveryKey = QAction(MainWindow)
        self.actionShowRecoveryKey.setObjectName(u"actionShowRecoveryKey")
        self.actionBackUp = QAction(MainWindow)
        self.actionBackUp.setObjectName(u"actionBackUp")
        self.actionLock = QAction(MainWindow)
        self.actionLock.setObjectName(u"actionLock")
        self.actionLock.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.actionSignOut = QAction(MainWindow)
        self.actionSignOut.setObjectName(u"actionSignOut")
        self.actionQuit = QAction(MainWindow)
        self.actionQuit.setObjectName(u"actionQuit")
        self.actionQuit.setMenuRole(QAction.MenuRole.QuitRole)
        self.actionThreatLevel = QAction(MainWindow)
        self.actionThreatLevel.setObjectName(u"actionThreatLevel")
        self.actionUsers = QAction(MainWindow)
        self.actionUsers.setObjectName(u"actionUsers")
        self.actionAutoLock = QAction(MainWindow)
        self.actionAutoLock.setObjectName(u"actionAutoLock")
        self.actionAbout = QAction(MainWindow)
        self.actionAbout.setObjectName(u"actionAbout")
        self.actionAbout.setMenuRole(QAction.MenuRole.AboutRole)
        self.centralWidget = QWidget(MainWindow)
        self.centralWidget.setObjectName(u"centralWidget")
        self.centralLayout = QVBoxLayout(self.centralWidget)
        self.centralLayout.setObjectName(u"centralLayout")
        self.centralLayout.setContentsMargins(8, 8, 8, 4)
        self.tabs = QTabWidget(self.centralWidget)
        self.tabs.setObjectName(u"tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(True)

        self.centralLayout.addWidget(self.tabs)

        MainWindow.setCentralWidget(self.centralWidget)
        self.menuBar = QMenuBar(MainWindow)
        self.menuBar.setObjectName(u"menuBar")
        self.menuAccount = QMenu(self.menuBar)
        self.menuAccount.setObjectName(u"menuAccount")
        self.menuSite = QMenu(self.menuBar)
        self.menuSite.setObjectName(u"menuSite")
        self.menuHelp = QMenu(self.menuBar)
        self.menuHelp.setObjectName(u"menuHelp")
        MainWindow.setMenuBar(self.menuBar)
        self.statusBar = QStatusBar(MainWindow)
        self.statusBar.setObjectName(u"statusBar")
        MainWindow.setStatusBar(self.statusBar)

        self.menuBar.addAction(self.menuAccount.menuAction())
        self.menuBar.addAction(self.menuSite.menuAction())
        self.menuBar.addAction(self.menuHelp.menuAction())
        self.menuAccount.addAction(self.actionChangePassphrase)
        self.menuAccount.addAction(self.actionShowRecoveryKey)
        self.menuAccount.addAction(self.actionBackUp)
        self.menuAccount.addSeparator()
        self.menuAccount.addAction(self.actionLock)
        self.menuAccount.addAction(self.actionSignOut)
        self.menuAccount.addSeparator()
        self.menuAccount.addAction(self.actionQuit)
        self.menuSite.addAction(self.actionThreatLevel)
        self.menuSite.addAction(self.actionUsers)
        self.menuSite.addAction(self.actionAutoLock)
        self.menuHelp.addAction(self.actionAbout)

        self.retranslateUi(MainWindow)

        QMetaObject.connectSlotsByName(MainWindow)
    # setupUi

    def retranslateUi(self, MainWindow):
        MainWindow.setWindowTitle(QCoreApplication.translate("MainWindow", u"Prevent Desktop", None))
        self.actionChangePassphrase.setText(QCoreApplication.translate("MainWindow", u"&Change my passphrase\u2026", None))
        self.actionShowRecoveryKey.setText(QCoreApplication.translate("MainWindow", u"Show &recovery key\u2026", None))
        self.actionBackUp.setText(QCoreApplication.translate("MainWindow", u"&Back up now\u2026", None))
        self.actionLock.setText(QCoreApplication.translate("MainWindow", u"&Lock", None))
#if QT_CONFIG(tooltip)
        self.actionLock.setToolTip(QCoreApplication.translate("MainWindow", u"Clear the screen and lock the database until a passphrase is entered again", None))
#endif // QT_CONFIG(tooltip)
#if QT_CONFIG(shortcut)
        self.actionLock.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+L", None))
#endif // QT_CONFIG(shortcut)
        self.actionSignOut.setText(QCoreApplication.translate("MainWindow", u"Sign &out", None))
        self.actionQuit.setText(QCoreApplication.translate("MainWindow", u"&Quit", None))
#if QT_CONFIG(shortcut)
        self.actionQuit.setShortcut(QCoreApplication.translate("MainWindow", u"Ctrl+Q", None))
#endif // QT_CONFIG(shortcut)
        self.actionThreatLevel.setText(QCoreApplication.translate("MainWindow", u"Set &threat level\u2026", None))
        self.actionUsers.setText(QCoreApplication.translate("MainWindow", u"&Users\u2026", None))
        self.actionAutoLock.setText(QCoreApplication.translate("MainWindow", u"&Auto-lock\u2026", None))
#if QT_CONFIG(tooltip)
        self.actionAutoLock.setToolTip(QCoreApplication.translate("MainWindow", u"How many idle minutes before Prevent Desktop locks itself", None))
#endif // QT_CONFIG(tooltip)
        self.actionAbout.setText(QCoreApplication.translate("MainWindow", u"&About Prevent Desktop", None))
        self.menuAccount.setTitle(QCoreApplication.translate("MainWindow", u"&Account", None))
        self.menuSite.setTitle(QCoreApplication.translate("MainWindow", u"&Site", None))
        self.menuHelp.setTitle(QCoreApplication.translate("MainWindow", u"&Help", None))
    # retranslateUi

