"""The demo's health topics and their communities (written for this project).

Order matters: on equal keyword scores the earlier topic wins (so "lung cancer" goes to
Cancer, not Lung Health). Keywords are lower-case words or phrases, matched on word boundaries
with an optional plural "s"/"es"; `_keywords` splits a comma-separated list.
"""

from __future__ import annotations

from typing import TypedDict


class Community(TypedDict):
    slug: str
    name: str
    description: str
    rules: str
    private: bool
    allow_anonymous: bool


class Topic(TypedDict):
    slug: str
    name: str
    summary: str
    keywords: list[str]
    communities: list[Community]


PUBLIC_RULES = (
    "Be kind and stay on topic. Share experiences, not diagnoses: nothing here replaces advice "
    "from your own doctor. Do not post names, contact details or other identifying information "
    "about yourself or others. No advertising or selling of treatments."
)
PRIVATE_RULES = (
    "What is shared in this group stays in this group: do not quote or screenshot posts "
    "elsewhere. You may post anonymously. Be gentle, offer support rather than instructions, "
    "and do not give out contact details. Moderators approve every new member."
)


def _community(
    slug: str, name: str, description: str, *, private: bool = False, anonymous: bool = False
) -> Community:
    return {
        "slug": slug,
        "name": name,
        "description": description,
        "rules": PRIVATE_RULES if private else PUBLIC_RULES,
        "private": private,
        "allow_anonymous": anonymous or private,
    }


def _keywords(text: str) -> list[str]:
    return [keyword.strip() for keyword in text.split(",")]


TOPICS: list[Topic] = [
    {
        "slug": "diabetes",
        "name": "Diabetes & Hormones",
        "summary": (
            "Type 1, type 2 and gestational diabetes, blood sugar and insulin, plus the thyroid "
            "and other hormone glands that often come up alongside them."
        ),
        "keywords": _keywords(
            "diabetes, diabetic, prediabetes, insulin, blood sugar, glucose, a1c, metformin, "
            "glyburide, hypoglycemia, hyperglycemia, thyroid, hypothyroidism, hyperthyroidism, "
            "levothyroxine, goiter, hashimoto, graves, pituitary, adrenal, cortisol, endocrine, "
            "panhypopituitarism, novolin, novolog"
        ),
        "communities": [
            _community(
                "diabetes-questions",
                "Diabetes & hormones: questions and answers",
                "Ask about diabetes, blood sugar, insulin, thyroid and other hormone conditions.",
            ),
            _community(
                "diabetes-everyday-living",
                "Everyday living with diabetes",
                "Food, exercise, glucose meters and the small daily routines of living well.",
            ),
        ],
    },
    {
        "slug": "heart-health",
        "name": "Heart Health",
        "summary": (
            "Heart disease, blood pressure, cholesterol and circulation. Ask questions and learn "
            "how to look after your heart and blood vessels."
        ),
        "keywords": _keywords(
            "heart, cardiac, cardiovascular, blood pressure, hypertension, hypotension, "
            "cholesterol, arrhythmia, atrial fibrillation, palpitation, coronary, angina, "
            "pacemaker, heart attack, heart failure, artery, arteries, arterial, aortic, valve, "
            "blood clot, thrombosis, varicose, circulation, statin, atorvastatin, lisinopril, "
            "amlodipine, atenolol, warfarin, digoxin, edema, vascular, aneurysm, chest pain, "
            "cardiomegaly, bundle branch block, nifedipine, lipitor, inderal"
        ),
        "communities": [
            _community(
                "heart-health-questions",
                "Heart health: questions and answers",
                "Ask about heart conditions, blood pressure, cholesterol and circulation.",
            ),
            _community(
                "heart-healthy-habits",
                "Heart-healthy habits",
                "Swap tips on eating well, staying active and keeping blood pressure in check.",
            ),
        ],
    },
    {
        "slug": "cancer",
        "name": "Cancer",
        "summary": (
            "Breast, lung, colon, prostate, skin and blood cancers: diagnosis, treatment and life "
            "after treatment. Patients, survivors and caregivers are all welcome."
        ),
        "keywords": _keywords(
            "cancer, cancerous, tumor, tumour, malignant, malignancy, metastatic, metastases, "
            "carcinoma, adenocarcinoma, sarcoma, melanoma, leukemia, lymphoma, myeloma, glioma, "
            "chemotherapy, chemo, radiation therapy, oncologist, mastectomy, letrozole, tamoxifen,"
            " arimidex, mammogram, rhabdomyosarcoma, pheochromocytoma, fibroadenoma, thyroid "
            "cancer"
        ),
        "communities": [
            _community(
                "cancer-questions",
                "Cancer: questions and answers",
                "Ask about any type of cancer, tests, treatments and side effects.",
            ),
            _community(
                "living-with-cancer",
                "Living with cancer: private support group",
                "A members-only space for people with cancer and those who care for them.",
                private=True,
            ),
        ],
    },
    {
        "slug": "lung-health",
        "name": "Lung Health: Asthma & COPD",
        "summary": (
            "Asthma, COPD, pneumonia and other lung and breathing problems. Learn about inhalers, "
            "oxygen and living with a long-term lung condition."
        ),
        "keywords": _keywords(
            "lung, pulmonary, asthma, copd, emphysema, bronchitis, bronchiectasis, pneumonia, "
            "inhaler, breathing, shortness of breath, wheezing, cough, coughing, tuberculosis, "
            "sleep apnea, apnea, cystic fibrosis, respiratory, trachea, tracheomalacia, oxygen, "
            "asbestosis, pneumonitis, tracheostomy, cpap, c-pap"
        ),
        "communities": [
            _community(
                "lung-health-questions",
                "Lung health: questions and answers",
                "Ask about asthma, COPD, lung infections and breathing problems.",
            ),
            _community(
                "breathe-easier",
                "Breathe easier: asthma & COPD tips",
                "Share what helps: inhaler technique, pulmonary rehab, triggers and travel.",
            ),
        ],
    },
    {
        "slug": "mental-health",
        "name": "Mental Health",
        "summary": (
            "Depression, anxiety, bipolar disorder, ADHD, addiction and more. A safe place to ask "
            "questions; you can post anonymously."
        ),
        "keywords": _keywords(
            "depression, depressed, anxiety, panic, bipolar, schizophrenia, psychosis, ptsd, ocd, "
            "adhd, attention deficit, autism, mental, psychiatrist, psychiatric, antidepressant, "
            "suicidal, suicide, anorexia, bulimia, eating disorder, addiction, withdrawal, "
            "alcoholism, opiate, anhedonia, phobia, insomnia, stress, bupropion, wellbutrin, "
            "risperidone, heroin, attachment disorder"
        ),
        "communities": [
            _community(
                "mental-health-questions",
                "Mental health: questions and answers",
                (
                    "Ask about mental health conditions, therapy and medication. Anonymous posts "
                    "are allowed."
                ),
                anonymous=True,
            ),
            _community(
                "mental-health-peer-support",
                "Mental health peer support: private group",
                "A members-only group to talk openly with others who understand.",
                private=True,
            ),
        ],
    },
    {
        "slug": "digestive-health",
        "name": "Digestive Health",
        "summary": (
            "Stomach, bowel, liver and gallbladder problems, from heartburn and IBS to hepatitis "
            "and Crohn's disease."
        ),
        "keywords": _keywords(
            "stomach, bowel, colon, rectal, gerd, reflux, heartburn, ibs, crohn, colitis, celiac, "
            "liver, hepatitis, cirrhosis, gallbladder, gallstone, pancreatitis, esophagus, "
            "esophageal, esophagitis, gastritis, gastroparesis, ulcer, diarrhea, constipation, "
            "bloating, flatulence, nausea, vomiting, hemorrhoid, hemorrhoidectomy, abdominal, "
            "digestive, digestion, lactose, diverticulosis, diverticulitis, peristaltic, gilbert, "
            "hiatal hernia, small intestine, whipple, antacid, fecal incontinence, bowel "
            "incontinence, hepatic"
        ),
        "communities": [
            _community(
                "digestive-health-questions",
                "Digestive health: questions and answers",
                "Ask about the stomach, bowel, liver, gallbladder and pancreas.",
            ),
            _community(
                "gut-friendly-kitchen",
                "Gut-friendly kitchen",
                "Recipes and food tips for sensitive stomachs, reflux, IBS and special diets.",
            ),
        ],
    },
    {
        "slug": "kidney-health",
        "name": "Kidney & Urinary Health",
        "summary": (
            "Kidney disease, dialysis and transplant, kidney stones, bladder and prostate "
            "problems. Questions from patients and families are welcome."
        ),
        "keywords": _keywords(
            "kidney, renal, nephropathy, nephrotic, dialysis, urinary, urine, urination, bladder, "
            "incontinence, nocturia, polyuria, uti, prostate, urologist, nephrologist, psa, "
            "prostatectomy, nephrolithotomy, nephrostomy, vesicoureteral reflux"
        ),
        "communities": [
            _community(
                "kidney-health-questions",
                "Kidney & urinary health: questions and answers",
                "Ask about kidney disease, kidney stones, bladder and prostate problems.",
            ),
            _community(
                "dialysis-transplant-support",
                "Dialysis & transplant: private support group",
                (
                    "A members-only group for people on dialysis, transplant recipients and their "
                    "families."
                ),
                private=True,
            ),
        ],
    },
    {
        "slug": "brain-nerves",
        "name": "Brain & Nerves",
        "summary": (
            "Stroke, epilepsy, migraine, multiple sclerosis, Parkinson's disease, dementia and "
            "nerve pain. Ask about the brain, spinal cord and nerves."
        ),
        "keywords": _keywords(
            "brain, nerve, neurological, neurologist, neuropathy, neuralgia, seizure, epilepsy, "
            "migraine, headache, stroke, parkinson, multiple sclerosis, dementia, alzheimer, "
            "ataxia, als, amyotrophic lateral sclerosis, tremor, numbness, tingling, spinal cord, "
            "concussion, muscular dystrophy, spinal muscular atrophy, sciatica, palsy, dystonia, "
            "leukodystrophy, leukoencephalopathy, meningitis, hydrocephalus, gabapentin, "
            "pregabalin, memory, forgetfulness, tourette, huntington, myasthenia gravis, stiff "
            "person, paralysis, head injury, charcot-marie-tooth, foot drop, drop foot, apraxia, "
            "dyspraxia, complex regional pain syndrome, imitrex, rizatriptan, tecfidera, "
            "phenobarbital, post-polio, vascular dementia"
        ),
        "communities": [
            _community(
                "brain-nerves-questions",
                "Brain & nerves: questions and answers",
                (
                    "Ask about neurological conditions, nerve pain, headaches and recovery after "
                    "stroke."
                ),
            ),
            _community(
                "dementia-caregivers",
                "Dementia caregivers: private support group",
                (
                    "A members-only group for people caring for someone with dementia or another "
                    "brain condition."
                ),
                private=True,
            ),
        ],
    },
]
