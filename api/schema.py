"""Links between operations in the schema (OpenAPI `links`): which answer gives the id another
operation needs. Clients can follow them, and schemathesis's stateful phase does."""

# (path, method, status): {link name: (operationId, where its `id` comes from)}
LINKS = {
    ("/api/v1/activities/", "get", "200"): {
        "TaskOfFirstActivity": ("tasks_retrieve", "$response.body#/results/0/taskId"),
        "CompleteFirstActivitysTask": ("tasks_complete_create", "$response.body#/results/0/taskId"),
        "ClassOfFirstActivity": ("classes_retrieve", "$response.body#/results/0/classId"),
        "LeaveFirstActivitysClass": ("classes_leave_create", "$response.body#/results/0/classId"),
    },
    ("/api/v1/classes/", "get", "200"): {
        "FirstClass": ("classes_retrieve", "$response.body#/results/0/id"),
        "JoinFirstClass": ("classes_join_create", "$response.body#/results/0/id"),
        "WaitForFirstClass": ("classes_waitlist_create", "$response.body#/results/0/id"),
    },
    ("/api/v1/classes/", "post", "201"): {
        "BookedClass": ("classes_retrieve", "$response.body#/id"),
        "ChangeBookedClass": ("classes_partial_update", "$response.body#/id"),
        "CancelBookedClass": ("classes_cancel_create", "$response.body#/id"),
    },
    ("/api/v1/classes/{id}/join/", "post", "200"): {
        "LeaveJoinedClass": ("classes_leave_create", "$response.body#/id"),
    },
    ("/api/v1/classes/{id}/waitlist/", "post", "200"): {
        "StopWaiting": ("classes_waitlist_destroy", "$response.body#/id"),
    },
}


def add_links(result, generator, request, public):
    """drf-spectacular post-processing hook."""
    for (path, method, status), links in LINKS.items():
        response = result["paths"][path][method]["responses"][status]
        response["links"] = {
            name: {"operationId": operation, "parameters": {"id": source}}
            for name, (operation, source) in links.items()
        }
    return result
