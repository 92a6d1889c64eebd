"""The kinds of fact the portal's client views are made of, and what scopes them.

Project-scoped (scope = project id) unless said otherwise.
"""

PROJECT = "project"  # key "": name, client, dates
MILESTONE = "milestone"  # key milestone id
PROGRESS = "progress"  # key "": percent complete, health, milestones' percentages
DOCUMENT_VERSION = "document_version"  # key "<document id>/<version>"
TIME_ENTRY = "time_entry"  # key entry id: day of work and minutes, nothing else
BUDGET = "budget"  # key "": currency, total, revision
BUDGET_COST = "budget_cost"  # key "": the cost budget last reported (with a threshold crossing)
CHANGE_ORDER = "change_order"  # key: the id of the client's approval of it
SURVEY = "survey"  # key survey id: sent when a milestone completed
CLIENT_USER = "client_user"  # scope = client id, key user id: a member of the client
GRANT = "grant"  # key client user id
VISIBILITY = "visibility"  # key "": absent means the defaults
APPROVAL = "approval"  # key approval id
THREAD = "thread"  # key thread id
MESSAGE = "message"  # key message id
SURVEY_RESPONSE = "survey_response"  # key "<survey id>/<client user id>"
TASK = "task"  # key task id: title, state, milestone, dates, whether internal
