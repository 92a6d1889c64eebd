"""Budget's eventsourcing Application: one event store and notification log for the
whole context, its use cases grouped by area in the modules it is composed of."""

from __future__ import annotations

from eventsourcing.persistence import JSONTranscoder

from trellis_budget.application.change_orders import ChangeOrderUseCases
from trellis_budget.application.costs import CostUseCases
from trellis_budget.application.currencies import CurrencyUseCases
from trellis_budget.application.rate_cards import RateCardUseCases
from trellis_budget.application.thresholds import ThresholdUseCases
from trellis_budget.application.transcodings import ALL_TRANSCODINGS
from trellis_platform.projection import ProjectsDirectly


class BudgetApplication(
    ChangeOrderUseCases, RateCardUseCases, CostUseCases, ThresholdUseCases, CurrencyUseCases,
    ProjectsDirectly,
):
    name = "budget"

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for transcoding in ALL_TRANSCODINGS:
            transcoder.register(transcoding)
