"""A rumor the triage's words miss: a claim of a kind a document answers (heavy metals, hormones, a
counterfeit, a carcinogen, expiry, the fibre) stated of the brand's goods as a fact, to warn others ("其实是涤纶
混纺，别被骗了", "假货！根本不是进口的"). Not a customer's own purchase ("我买的…是不是化纤的啊"), nor a guess;
the words are in knowledge/wording/appeals.yaml."""

from __future__ import annotations

from agent.drafting.appeal_facts import AppealFacts, about_elsewhere, names_own
from agent.knowledge.brands import Brand
from agent.knowledge.wording import appeals
from agent.triage.signals import without_denied_claims
from agent.triage.trade import names_own_trade

# Kinds answered elsewhere: a skin reaction is a customer's to tell, a political stance pinned on the brand is
# read by appeals.brand_political_claim.
NOT_HERE = ("allergy", "stance")


def claimed_as_fact(facts: AppealFacts, brand: Brand) -> list[str]:
    """The claim's words, when the comment states one of the brand's goods as a fact; else none."""
    words = appeals()
    text = facts.text
    if facts.order is not None or facts.order_cited or words.own_purchase.search(text) or words.hedges.search(text):
        return []
    said = [w for k in facts.claims if k not in NOT_HERE for w in words.claims[k].words.findall(text) if w]
    said += [m.group() for m in words.rumor_cues.finditer(text)]
    claimed = without_denied_claims(text, said)
    said = [w for w in said if w in claimed]  # "希望别买到假货": hoped against, not claimed
    told = words.rumor_asserted.search(text) or words.rumor_hearsay.search(text)
    # said of the brand or its goods by name, or of the shop or goods it sells ("他们家", "这牌子", "面料"): a
    # claim in a quarrel ("…基因雄激素不足") is about people, and an ad's "宣传画" no word of the brand's
    subject = names_own(text, brand) or names_own_trade(text, brand) or words.rumor_subject.search(text)
    if not said or not told or not subject or about_elsewhere(text, brand):
        return []
    return list(dict.fromkeys(said))

