; The Windows installer: per user (no administrator rights, no UAC prompt), into
; %LOCALAPPDATA%\Programs\LLM Relay, in English or Simplified Chinese (the system's language
; first). Built by the CMake target `installer`:
;   makensis -DVERSION=x.y.z -DSTAGE=dir -DFILES=files.nsh -DICON=app.ico -DOUTFILE=setup.exe
; STAGE is the staged program folder; FILES lists its files for the uninstaller, so that
; uninstalling removes what was installed and nothing else.
Unicode true
Target amd64-unicode ; 64-bit only, as the program
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!define APP "LLM Relay"
!define EXE "llm-relay.exe"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\LLM Relay"
!define RUN_KEY "Software\Microsoft\Windows\CurrentVersion\Run"
; Where the program keeps its settings, request history and database (QStandardPaths'
; AppConfigLocation for "llm-relay"); never touched by an install or an upgrade.
!define DATA_DIR "$LOCALAPPDATA\llm-relay"

Name "${APP}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${APP}"
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "${APP} ${VERSION}"
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${APP}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "${APP} Setup"
VIAddVersionKey /LANG=0 "LegalCopyright" "LLM Relay developers"

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include "${FILES}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_LANGDLL_ALLLANGUAGES
!define MUI_LANGDLL_REGISTRY_ROOT HKCU
!define MUI_LANGDLL_REGISTRY_KEY "${UNINST_KEY}"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"
!insertmacro MUI_RESERVEFILE_LANGDLL

LangString SecProgram ${LANG_ENGLISH} "LLM Relay"
LangString SecProgram ${LANG_SIMPCHINESE} "LLM Relay"
LangString SecProgramDesc ${LANG_ENGLISH} "The program and its Start menu shortcut."
LangString SecProgramDesc ${LANG_SIMPCHINESE} "程序本身及其开始菜单快捷方式。"
LangString SecDesktop ${LANG_ENGLISH} "Desktop shortcut"
LangString SecDesktop ${LANG_SIMPCHINESE} "桌面快捷方式"
LangString SecDesktopDesc ${LANG_ENGLISH} "A shortcut to LLM Relay on the desktop."
LangString SecDesktopDesc ${LANG_SIMPCHINESE} "在桌面上创建 LLM Relay 的快捷方式。"
LangString StillRunning ${LANG_ENGLISH} "LLM Relay is still running and did not close when asked.$\r$\n$\r$\nRight-click its icon in the taskbar's notification area, choose Quit, then click Retry."
LangString StillRunning ${LANG_SIMPCHINESE} "LLM Relay 仍在运行，请求关闭后没有退出。$\r$\n$\r$\n请右键单击任务栏通知区域中的 LLM Relay 图标，选择“退出”，然后点击“重试”。"
LangString RemoveData ${LANG_ENGLISH} "Also delete your LLM Relay settings and request history?$\r$\n$\r$\n${DATA_DIR}$\r$\n$\r$\nChoose No to keep them for a later install. Your API keys stay in Windows Credential Manager (entries that start with llm-relay/) until you remove them there."
LangString RemoveData ${LANG_SIMPCHINESE} "是否同时删除 LLM Relay 的设置和请求记录？$\r$\n$\r$\n${DATA_DIR}$\r$\n$\r$\n选择“否”会保留它们，供以后重新安装时使用。您的 API 密钥保存在 Windows 凭据管理器中（名称以 llm-relay/ 开头的条目），需要时请在那里删除。"

; The running tray app holds its program files open: ask it to quit (it finishes the streams
; in flight and saves), then make sure the program file can be replaced. The macro makes the
; installer's and the uninstaller's copy of the function.
!macro CLOSE_RUNNING un
Function ${un}CloseRunning
  IfFileExists "$INSTDIR\${EXE}" 0 done
  ExecWait '"$INSTDIR\${EXE}" --quit'
  retry:
  StrCpy $R9 0
  check:
  ClearErrors
  FileOpen $R8 "$INSTDIR\${EXE}" a ; refused while the program runs
  ${IfNot} ${Errors}
    FileClose $R8
    Goto done
  ${EndIf}
  IntOp $R9 $R9 + 1
  ${If} $R9 < 40 ; the process may still be ending after it let go of its config: 10 s
    Sleep 250
    Goto check
  ${EndIf}
  MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(StillRunning)" /SD IDCANCEL IDRETRY retry
  Abort
  done:
FunctionEnd
!macroend
!insertmacro CLOSE_RUNNING ""
!insertmacro CLOSE_RUNNING "un."

Function .onInit
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

; Never install into (and later uninstall from) a folder holding someone else's files.
Function .onVerifyInstDir
  IfFileExists "$INSTDIR\${EXE}" ok
  IfFileExists "$INSTDIR\*.*" 0 ok
  FindFirst $R0 $R1 "$INSTDIR\*.*"
  loop:
  StrCmp $R1 "" empty
  StrCmp $R1 "." next
  StrCmp $R1 ".." next
  FindClose $R0
  Abort
  next:
  FindNext $R0 $R1
  Goto loop
  empty:
  FindClose $R0
  ok:
FunctionEnd

Section "!$(SecProgram)" SecProgram
  SectionIn RO
  Call CloseRunning
  SetOutPath "$INSTDIR"
  !insertmacro REMOVE_PROGRAM_FILES ; an upgrade: what this version ships, fresh
  File /r "${STAGE}\*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  CreateShortcut "$SMPROGRAMS\${APP}.lnk" "$INSTDIR\${EXE}"

  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${APP}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "LLM Relay developers"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\${EXE}"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Section "$(SecDesktop)" SecDesktop
  CreateShortcut "$DESKTOP\${APP}.lnk" "$INSTDIR\${EXE}"
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecProgram} $(SecProgramDesc)
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} $(SecDesktopDesc)
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Function un.onInit
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

; Silent (/S) keeps the settings and history unless /PURGE is given too.
Section "Uninstall"
  Call un.CloseRunning
  !insertmacro REMOVE_PROGRAM_FILES
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${APP}.lnk"
  Delete "$DESKTOP\${APP}.lnk"
  ; Start at login (the tray menu's switch) points at the program that is now gone.
  DeleteRegValue HKCU "${RUN_KEY}" "${APP}"
  DeleteRegKey HKCU "${UNINST_KEY}"

  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/PURGE" $R1
  ${IfNot} ${Errors}
    RMDir /r "${DATA_DIR}"
  ${Else}
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "$(RemoveData)" /SD IDNO IDNO keep
    RMDir /r "${DATA_DIR}"
    keep:
  ${EndIf}
SectionEnd
