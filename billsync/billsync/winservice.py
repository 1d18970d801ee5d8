"""The Windows service (pywin32): `billsync service install` registers this same program, started as
`billsync.exe service host` by the service manager at boot; a service stop asks the run loop to stop cleanly.
The settings file of the user who installs it is the service's (BILLSYNC_CONFIG in the service's environment).
Only imported on Windows."""

import sys

from .runs import ExitCode

if sys.platform == "win32":
    import threading
    import winreg

    import servicemanager
    import win32service
    import win32serviceutil

    from .agent import Agent, Progress
    from .config import config_path, load_config
    from .service import DESCRIPTION, WINDOWS_NAME, program_command

    class BillsyncService(win32serviceutil.ServiceFramework):
        _svc_name_ = WINDOWS_NAME
        _svc_display_name_ = "Billsync agent"
        _svc_description_ = DESCRIPTION

        def __init__(self, args: list[str]) -> None:
            super().__init__(args)
            self.stop = threading.Event()

        def SvcStop(self) -> None:  # noqa: N802 (pywin32's name)
            self.ReportServiceStatus(win32service.SERVICE_STOP_PENDING)
            self.stop.set()

        def SvcDoRun(self) -> None:  # noqa: N802
            from .cli import poll_forever, setup_logging

            setup_logging(quiet=True)
            config = load_config()
            agent = Agent(config, self.stop, Progress(False))
            try:
                poll_forever(agent, lambda: config.poll_interval)
            finally:
                agent.close()

    def _set_environment() -> None:
        """BILLSYNC_CONFIG for the service: the installing user's settings file."""
        path = rf"SYSTEM\CurrentControlSet\Services\{WINDOWS_NAME}"
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, path, 0, winreg.KEY_SET_VALUE) as key:
            winreg.SetValueEx(
                key, "Environment", 0, winreg.REG_MULTI_SZ, [f"BILLSYNC_CONFIG={config_path().resolve()}"]
            )

    def manage_windows(action: str, dry_run: bool) -> int:
        if action == "host":  # started by the service manager
            servicemanager.Initialize()
            servicemanager.PrepareToHostSingle(BillsyncService)
            servicemanager.StartServiceCtrlDispatcher()
            return ExitCode.OK
        command = program_command()
        if dry_run:
            print(f"service {WINDOWS_NAME}: {' '.join(command)} service host (automatic start)")
            print(f"environment: BILLSYNC_CONFIG={config_path().resolve()}")
            return ExitCode.OK
        if action == "install":
            win32serviceutil.InstallService(
                None,
                WINDOWS_NAME,
                "Billsync agent",
                startType=win32service.SERVICE_AUTO_START,
                exeName=command[0],
                exeArgs=" ".join([*(f'"{part}"' for part in command[1:]), "service", "host"]),
                description=DESCRIPTION,
            )
            _set_environment()
            win32serviceutil.StartService(WINDOWS_NAME)
        elif action == "uninstall":
            try:
                win32serviceutil.StopService(WINDOWS_NAME)
            except Exception:  # noqa: BLE001 (not running)
                pass
            win32serviceutil.RemoveService(WINDOWS_NAME)
        elif action == "start":
            win32serviceutil.StartService(WINDOWS_NAME)
        elif action == "stop":
            win32serviceutil.StopService(WINDOWS_NAME)
        else:
            state = win32serviceutil.QueryServiceStatus(WINDOWS_NAME)[1]
            print({win32service.SERVICE_RUNNING: "running", win32service.SERVICE_STOPPED: "stopped"}.get(state, state))
        return ExitCode.OK

else:

    def manage_windows(action: str, dry_run: bool) -> int:
        print("billsync: the Windows service exists on Windows only", file=sys.stderr)
        return ExitCode.USAGE
