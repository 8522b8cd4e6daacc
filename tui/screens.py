"""The app's screens by mode name; the keys that switch to them are in ``keys.APP_KEYS``."""

from __future__ import annotations

from docket.tui.actions_screen import ActionsScreen
from docket.tui.base import DocketScreen
from docket.tui.comms_screen import CommsScreen
from docket.tui.contractors_screen import ContractorsScreen
from docket.tui.meetings_screen import MeetingsScreen
from docket.tui.milestones_screen import MilestonesScreen
from docket.tui.people_screen import PeopleScreen
from docket.tui.raid_screen import RaidScreen
from docket.tui.today_screen import TodayScreen

MODES: dict[str, type[DocketScreen]] = {
    TodayScreen.MODE: TodayScreen,
    ActionsScreen.MODE: ActionsScreen,
    MeetingsScreen.MODE: MeetingsScreen,
    CommsScreen.MODE: CommsScreen,
    ContractorsScreen.MODE: ContractorsScreen,
    MilestonesScreen.MODE: MilestonesScreen,
    PeopleScreen.MODE: PeopleScreen,
    RaidScreen.MODE: RaidScreen,
}
