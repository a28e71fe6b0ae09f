"""Peer matching: members who opted in are introduced to each other, round by round."""
