"""Referrals: the policy (rules/referral.yaml), how firmly each person answers for each finding (`escalation`,
or the optional Rete backend `rete`), and one referral per responsible person (`referrals`). May import run and
everything below it; never report or audit."""
