"""What the action planner is given and the words it answers with: the comment's `ActionInput`, the hand
rules that can be switched off to measure them (`RULES`), and every reason an action can carry (`REASONS`).
"""

from __future__ import annotations

from dataclasses import dataclass

from agent.knowledge.brands import Brand
from agent.schemas import Context, Triage
from agent.triage.kind_model import KindGuess

# The hand rules laid over the comment-kind model's reading, by name: `redreply eval sections` prints how much
# each one moves the sections' figures by switching it off (`ActionInput.off`).
RULES = ("brand_account", "platform_status", "no_words", "extortion", "not_about_brand", "talk", "rule_violation",
         "abuse_reported", "lead_gen_words", "between_users", "single_unrelated", "single_comment", "brand_question",
         "asks_question", "to_author", "negative_not_thanked", "complaint_not_thanked", "no_experience",
         "reaction_reply", "abuse_at_person", "other_brand", "calls_out", "looks_remark")


# Every reason an action can carry, by name: the reviewer reads it ("why this action"), the CLI prints it and
# the desk shows it in its language (ui/plan_text.py holds each one to a translation). A new reason is one
# line here; {placeholders} take values (a platform status, violation names, author signs, a note relation).
REASONS: dict[str, str] = {
    "brand_account": "written by the brand's own account",
    "platform_status": "{status} on the platform",
    "no_words": "no words to answer: empty, a picture, or only stickers or emoji",
    "extortion": "extortion: money for deleting a comment",
    "not_about_brand": "the note doesn't concern the brand ({relation}) and the comment doesn't name it",
    "rule_violation": "breaks a platform rule: {violations}",
    "abuse_reported": "abuse aimed at people, with no complaint to answer",
    "abuse_at_person": "an insult at a person (a model, the staff, a user) that tells of nothing bought or used",
    "looks_remark": "a jab at how a person in the note looks (the author, a model), naming nothing bought or used",
    "talk": "talk about people that names nothing of the brand or anything bought (a debate, chatter)",
    "talk_insult": "an insult in talk about people that names nothing of the brand: reported, no public reply",
    "quarrel": "harsh words about people that name nothing of the brand, with no insult a report could quote",
    "violent": "violence, sexual violence or hate, naming nothing of the brand's: never thanked or answered",
    "lead_gen_words": "lead generation: an invitation to a private channel",
    "spam": "spam",
    "spam_author": "spam (author: {signs})",
    "other_brand": "talk about another brand's goods that names nothing of the brand's",
    "between_users": "a reply between users that doesn't address the brand",
    "single_unrelated": "a single comment that names neither the brand, its products nor any problem, read as chatter",
    "single_comment": "a single comment, not from a section: answered",
    "chatter": "chatter",
    "to_author": "a question to the note's author",
    "question": "a question the brand can answer",
    "praise_negative": "read as praise, but the sentiment model scores it negative",
    "praise_negative_in_section": "read as praise, but the sentiment model scores it negative: neither thanked nor "
                                  "apologised to",
    "praise_names_problem": "read as praise, but it names a problem the sentiment model hears as a complaint",
    "praise_other_trade": "praise of, or talk about, something the brand doesn't sell",
    "praise": "praise of the brand",
    "complaint": "a complaint or claim about the brand",
    "no_experience": "read as a complaint, but it tells of no experience of the brand's goods or service and "
                     "names no problem or claim (chatter, an opinion about the note)",
    "praise_with_defect": "praise that names a defect of the goods or the service: the defect is answered with "
                          "its remedy",
    "complaint_asked": "a complaint asked as a question: it states a problem beside its question",
    "reaction": "tells of a reaction on the skin or body: answered as a complaint, with care, not as a question",
}


@dataclass(frozen=True)
class ActionInput:
    text: str  # the comment as written
    triage: Triage
    kind: KindGuess
    context: Context | None
    brand: Brand
    off: frozenset[str] = frozenset()  # hand rules switched off, to measure them
    id: str = ""  # the comment's id, for the eval's report

    def on(self, rule: str) -> bool:
        return rule not in self.off

    @property
    def ctx(self) -> Context:
        return self.context or Context()
