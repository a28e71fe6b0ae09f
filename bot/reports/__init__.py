"""Reports for funders: sessions, who came, from where, and whether it helped."""
