; Inno Setup script: BillsyncSetup-<version>.exe from the one-file billsync.exe that billsync.spec builds.
; Installs the program, a desktop icon that opens the configuration screen, and the background service.
; Build on Windows (see billsync/README.md, "Windows installer"):
;   iscc /DAppVersion=0.2.0 /DDist=..\..\dist billsync\packaging\billsync.iss
#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=0.2.0 ...
#endif
#ifndef Dist
  #define Dist "..\..\dist"
#endif

[Setup]
AppId={{6A0F3C55-2B8E-4F4B-9C1B-5B7B1F2E0B15}
AppName=Billsync
AppVersion={#AppVersion}
AppPublisher=Billsync (AGPL-3.0-or-later)
DefaultDirName={autopf}\Billsync
DefaultGroupName=Billsync
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#Dist}
OutputBaseFilename=BillsyncSetup-{#AppVersion}
Compression=lzma2
SolidCompression=yes
UninstallDisplayIcon={app}\billsync.exe
CloseApplications=yes

[Languages]
Name: "nl"; MessagesFile: "compiler:Languages\Dutch.isl"
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "{#Dist}\billsync.exe"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{autodesktop}\Billsync"; Filename: "{app}\billsync.exe"; Parameters: "ui"; Comment: "Billsync configuration"
Name: "{group}\Billsync"; Filename: "{app}\billsync.exe"; Parameters: "ui"

[Run]
; the service starts at boot and polls the portal; it reads the settings file of the user who installs
Filename: "{app}\billsync.exe"; Parameters: "service install"; Flags: runhidden waituntilterminated; StatusMsg: "Installing the Billsync service…"
Filename: "{app}\billsync.exe"; Parameters: "ui"; Description: "Open the Billsync configuration"; Flags: postinstall nowait skipifsilent runasoriginaluser

[UninstallRun]
Filename: "{app}\billsync.exe"; Parameters: "service uninstall"; Flags: runhidden waituntilterminated; RunOnceId: "RemoveService"
