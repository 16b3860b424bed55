; The Windows installer: per user (no administrator rights, no UAC prompt), into
; %LOCALAPPDATA%\Programs\LLM Relay, in English or Simplified Chinese (the system's language
; first). Built by the CMake target `installer`:
;   makensis -DBUILD_DEFINES=BUILD/installer-defines.nsh [-DVERSION=x.y.z -DOUTFILE=setup.exe]
; The build's defines: STAGE, the staged program folder; FILES, its file list for the
; uninstaller (so that uninstalling removes what was installed and nothing else); ICON; and
; VERSION and OUTFILE unless given (the installer check builds a second, newer setup so).
!include "${BUILD_DEFINES}"
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
!include Sections.nsh
!include WinVer.nsh
!include TextFunc.nsh
!include StrFunc.nsh
${StrLoc} ; declares the function, for the installer
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
LangString ForeignFolder ${LANG_ENGLISH} "$INSTDIR holds files of another program. Choose an empty folder or the one LLM Relay is installed in."
LangString ForeignFolder ${LANG_SIMPCHINESE} "$INSTDIR 中有其他程序的文件。请选择一个空文件夹，或 LLM Relay 已安装的文件夹。"
LangString StillRunning ${LANG_ENGLISH} "LLM Relay is still running and did not close when asked.$\r$\n$\r$\nRight-click its icon in the taskbar's notification area and choose Quit (a server started from a command line: end llm-relay.exe in the Task Manager), then click Retry."
LangString StillRunning ${LANG_SIMPCHINESE} "LLM Relay 仍在运行：已请求它退出，但它仍未关闭。$\r$\n$\r$\n请右键单击任务栏通知区域中的 LLM Relay 图标，选择“退出”（如果是从命令行启动的服务，请在任务管理器中结束 llm-relay.exe），然后点击“重试”。"
LangString SecAutostart ${LANG_ENGLISH} "Start at login"
LangString SecAutostart ${LANG_SIMPCHINESE} "开机启动"
LangString SecAutostartDesc ${LANG_ENGLISH} "Start LLM Relay in the notification area when you sign in to Windows, so that your chat clients always find it. The tray menu turns this off and on."
LangString SecAutostartDesc ${LANG_SIMPCHINESE} "登录 Windows 时在通知区域启动 LLM Relay，聊天客户端随时都能连接。也可以在托盘菜单中开关此项。"
LangString OldWindows ${LANG_ENGLISH} "LLM Relay needs Windows 10 (version 1809) or later."
LangString OldWindows ${LANG_SIMPCHINESE} "LLM Relay 需要 Windows 10（1809 版）或更高版本。"
LangString AutostartFailed ${LANG_ENGLISH} "Start at login could not be changed; use the tray menu's Start at login instead."
LangString AutostartFailed ${LANG_SIMPCHINESE} "无法更改开机启动设置，请改用托盘菜单中的“开机启动”。"
LangString RemoveData ${LANG_ENGLISH} "Also delete your LLM Relay settings, request history and the API keys it keeps in Windows Credential Manager?$\r$\n$\r$\n${DATA_DIR}$\r$\nCredential Manager: entries named llm-relay/…$\r$\n$\r$\nChoose No to keep them for a later install."
LangString RemoveData ${LANG_SIMPCHINESE} "是否同时删除 LLM Relay 的设置、请求记录，以及保存在 Windows 凭据管理器中的 API 密钥？$\r$\n$\r$\n${DATA_DIR}$\r$\n凭据管理器：名称以 llm-relay/ 开头的条目$\r$\n$\r$\n选择“否”会保留它们，供以后重新安装时使用。"

; The running tray app holds its program files open: ask it to quit (it finishes the streams
; in flight and saves), then make sure the program file can be replaced. The macro makes the
; installer's and the uninstaller's copy of the function.
Var WasRunning ; a silent upgrade starts the app again; otherwise the finish page offers it
!macro CLOSE_RUNNING un
Function ${un}ProgramBusy ; $R7 = 1 while the program file cannot be opened for writing: it runs
  StrCpy $R7 0
  ClearErrors
  FileOpen $R8 "$INSTDIR\${EXE}" a
  ${If} ${Errors}
    StrCpy $R7 1
  ${Else}
    FileClose $R8
  ${EndIf}
FunctionEnd

Function ${un}CloseRunning
  StrCpy $WasRunning 0
  IfFileExists "$INSTDIR\${EXE}" 0 done
  Call ${un}ProgramBusy
  StrCpy $WasRunning $R7
  DetailPrint "$INSTDIR\${EXE} --quit"
  ExecWait '"$INSTDIR\${EXE}" --quit'
  retry:
  StrCpy $R9 0
  check:
  Call ${un}ProgramBusy
  StrCmp $R7 0 done
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

; Never install into (and later uninstall from) a folder holding someone else's files:
; $R7 = 1 when $INSTDIR holds files and no LLM Relay.
Function ForeignFolder
  StrCpy $R7 0
  IfFileExists "$INSTDIR\${EXE}" done
  IfFileExists "$INSTDIR\*.*" 0 done
  FindFirst $R0 $R1 "$INSTDIR\*.*"
  loop:
  StrCmp $R1 "" close
  StrCmp $R1 "." next
  StrCmp $R1 ".." next
  StrCpy $R7 1
  Goto close
  next:
  FindNext $R0 $R1
  Goto loop
  close:
  FindClose $R0
  done:
FunctionEnd

Function .onVerifyInstDir ; the folder page: Next stays disabled
  Call ForeignFolder
  StrCmp $R7 1 0 +2
  Abort
FunctionEnd

; An upgrade removes what the installed version listed in files.txt (one path per line,
; relative to the program folder): a file that version shipped and this one does not would
; otherwise stay behind for good.
Function RemovePreviousFiles
  IfFileExists "$INSTDIR\uninstall.exe" 0 done ; only over an installed LLM Relay
  IfFileExists "$INSTDIR\${EXE}" 0 done
  ClearErrors
  FileOpen $R0 "$INSTDIR\files.txt" r
  IfErrors done
  loop:
  ClearErrors ; a Delete that failed (files.txt itself, still open) would end the loop
  FileRead $R0 $R1
  IfErrors close
  ${TrimNewLines} $R1 $R1
  ${StrLoc} $R2 $R1 ".." ">"
  StrCpy $R3 $R1 1
  ${If} $R1 != ""
  ${AndIf} $R2 == "" ; never outside the program folder
  ${AndIf} $R3 != "\"
    StrCpy $R3 $R1 "" 1
    StrCpy $R3 $R3 1
    ${If} $R3 != ":"
      Delete "$INSTDIR\$R1"
    ${EndIf}
  ${EndIf}
  Goto loop
  close:
  FileClose $R0
  done:
FunctionEnd

Section "!$(SecProgram)" SecProgram
  SectionIn RO
  Call CloseRunning
  SetOutPath "$INSTDIR"
  Call RemovePreviousFiles
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

; Written by the program itself (the entry its tray menu shows and removes), never here.
Section "$(SecAutostart)" SecAutostart
SectionEnd
Section "-ApplyAutostart"
  StrCpy $R0 "off"
  ${If} ${SectionIsSelected} ${SecAutostart}
    StrCpy $R0 "on"
  ${EndIf}
  ExecWait '"$INSTDIR\${EXE}" --start-at-login $R0' $R1
  ${If} $R1 != 0
    DetailPrint "$(AutostartFailed)"
  ${EndIf}
  ${If} ${Silent}
  ${AndIf} $WasRunning == 1
    Exec '"$INSTDIR\${EXE}"' ; an unattended upgrade leaves the relay as it found it
  ${EndIf}
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecProgram} $(SecProgramDesc)
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} $(SecDesktopDesc)
  !insertmacro MUI_DESCRIPTION_TEXT ${SecAutostart} $(SecAutostartDesc)
!insertmacro MUI_FUNCTION_DESCRIPTION_END

; After the sections: it refers to them.
Function .onInit
  ${IfNot} ${AtLeastWin10}
  ${OrIfNot} ${AtLeastBuild} 17763
    MessageBox MB_OK|MB_ICONSTOP "$(OldWindows)" /SD IDOK
    Abort
  ${EndIf}
  !insertmacro MUI_LANGDLL_DISPLAY
  ${If} ${Silent} ; no folder page: /D= is checked here
    Call ForeignFolder
    ${If} $R7 == 1
      MessageBox MB_OK|MB_ICONSTOP "$(ForeignFolder)" /SD IDOK
      SetErrorLevel 2
      Quit
    ${EndIf}
  ${EndIf}
  ; An upgrade shows start at login as it is now; a first install offers it ticked.
  ReadRegStr $R0 HKCU "${UNINST_KEY}" "InstallLocation"
  ${If} $R0 != ""
    ReadRegStr $R1 HKCU "${RUN_KEY}" "${APP}"
    ${If} $R1 == ""
      !insertmacro UnselectSection ${SecAutostart}
    ${EndIf}
    ${IfNot} ${FileExists} "$DESKTOP\${APP}.lnk" ; deleted by the user: not put back
      !insertmacro UnselectSection ${SecDesktop}
    ${EndIf}
  ${EndIf}
FunctionEnd

Function un.onInit
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

; The upstream, access and admin keys the program stored: Credential Manager's generic entries
; named llm-relay/<config>/<key>, for every config this user ran.
Function un.DeleteStoredKeys
  System::Call 'advapi32::CredEnumerateW(w "llm-relay/*", i 0, *i .r1, *p .r2) i .r0'
  ${If} $0 == 0
    Return ; none stored
  ${EndIf}
  StrCpy $3 0
  ${DoWhile} $3 < $1
    IntOp $4 $3 * 8 ; an array of CREDENTIALW pointers
    IntPtrOp $5 $2 + $4
    System::Call '*$5(p .r6)'
    System::Call '*$6(i .r7, i .r8, w .r9)' ; Flags, Type, TargetName
    System::Call 'advapi32::CredDeleteW(w r9, i r8, i 0)'
    IntOp $3 $3 + 1
  ${Loop}
  System::Call 'advapi32::CredFree(p r2)'
FunctionEnd

Function un.DeleteUserData
  RMDir /r "${DATA_DIR}"
  Call un.DeleteStoredKeys
FunctionEnd

; Silent (/S) keeps the settings, history and keys unless /PURGE is given too.
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
    Call un.DeleteUserData
  ${Else}
    MessageBox MB_YESNO|MB_ICONQUESTION|MB_DEFBUTTON2 "$(RemoveData)" /SD IDNO IDNO keep
    Call un.DeleteUserData
    keep:
  ${EndIf}
SectionEnd
