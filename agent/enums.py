"""The enumerations of RedReply's contract: stable names the JSON output, the evals and the queue all use."""

from __future__ import annotations

from enum import StrEnum


class Source(StrEnum):
    genuine_experience = "genuine_experience"
    misunderstanding = "misunderstanding"
    competitor_attack = "competitor_attack"
    extortion = "extortion"
    not_negative = "not_negative"


class Violation(StrEnum):
    abuse = "abuse"
    porn = "porn"
    political = "political"
    spam_redirect = "spam_redirect"
    rumor = "rumor"
    privacy = "privacy"
    flooding = "flooding"
    ip_infringement = "ip_infringement"
    # The platform's reason for threats and other illegal content: the extortion track's report, never a
    # finding of the triage (it reads the rules a comment breaks; a threat is its source, extortion).
    illegal = "illegal"


# The report reason exactly as the platform's report sheet shows it.
VIOLATION_LABELS: dict[Violation, str] = {
    Violation.abuse: "包含辱骂、人身攻击",
    Violation.porn: "色情低俗",
    Violation.political: "政治敏感",
    Violation.spam_redirect: "垃圾广告营销、导流",
    Violation.rumor: "造谣、虚假信息",
    Violation.privacy: "侵犯隐私",
    Violation.flooding: "恶意重复、刷屏",
    Violation.ip_infringement: "侵犯著作权、商标权",
    Violation.illegal: "违法违规",
}


class Strategy(StrEnum):
    apologize_resolve = "apologize_resolve"
    educate = "educate"
    neutral_rebuttal = "neutral_rebuttal"


class Action(StrEnum):
    """What the brand does with a comment (agent.planning.action)."""

    reply = "reply"
    answer = "answer"
    thank = "thank"
    report = "report"
    leave = "leave"


class Escalation(StrEnum):
    none = "none"
    platform_report = "platform_report"
    brand_backend = "brand_backend"
    account_manager = "account_manager"
    legal_letter = "legal_letter"
    regulator_12377 = "regulator_12377"
    litigation = "litigation"
