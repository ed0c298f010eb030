from grassroots.ballots import rules, services

SUBJECTS = [{"key": "zhang", "label": "张书记"}, {"key": "li", "label": "李书记"}]


def new_round(actor, org, *, grade_set=None, weights=None, subjects=None, **kwargs):
    return services.create_round(
        actor, org, title="2026年度述职评议", source="assessment.review", source_id=1, grade_set=grade_set or rules.GRADES_REVIEW,
        group_weights=weights, subjects=subjects or SUBJECTS, **kwargs,
    )
