"""Expert review API: the pool, rounds with their assignment run and exclusions, the expert's
own assignments and reviews, aggregation and rankings with the hand-over to 公示. The same
access rules (``zhizao.review.access``) and services as the pages; applicants and the public
reach none of it, so expert identities never leave the office and the experts themselves."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import status

from zhizao.review import access, selectors, services
from zhizao.review.models import Bid, Exclusion, Ranking, Review

from ..common import ApiOperation, ErrorSerializer, actor, paged, paginated, parse, respond
from ..pagination import StandardPagination
from .serializers import (
    AssignInputSerializer,
    AvailabilityInputSerializer,
    BidInputSerializer,
    ExclusionSerializer,
    ExpertDetailSerializer,
    ExpertReviewInputSerializer,
    ExpertSerializer,
    MyAssignmentSerializer,
    MyAvailabilitySerializer,
    MyBidSerializer,
    OfficeAssignmentSerializer,
    PageQuery,
    RankingInputSerializer,
    RankingSerializer,
    ReviewSerializer,
    RoundSerializer,
)

TAGS = ["review"]
ERRORS = {400: ErrorSerializer}


class ExpertListApi(ApiOperation):
    @extend_schema(
        parameters=[PageQuery],
        responses={200: paginated(ExpertSerializer), **ERRORS},
        summary="The expert pool (staff); an expert sees its own profile",
        operation_id="review_experts_list",
        tags=TAGS,
    )
    def get(self, request):
        membership = request.membership
        if not (access.can_view_pool(membership) or access.own_expert(membership)):
            raise Http404
        parse(PageQuery, request.query_params)
        return paged(
            request, self, access.experts_for(membership).order_by("name", "id"), ExpertSerializer
        )


class ExpertDetailApi(ApiOperation):
    @extend_schema(
        responses=ExpertDetailSerializer,
        summary="An expert with former organisations and declared relations",
        operation_id="review_expert_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        expert = access.access_expert(request.membership, pk)
        return respond(ExpertDetailSerializer, expert)


class RoundListApi(ApiOperation):
    @extend_schema(
        parameters=[PageQuery],
        responses={200: paginated(RoundSerializer), **ERRORS},
        summary="Review rounds of the calls the caller's office runs",
        operation_id="review_rounds_list",
        tags=TAGS,
    )
    def get(self, request):
        if not access.can_see_rounds(request.membership):
            raise Http404
        parse(PageQuery, request.query_params)
        qs = access.rounds_for(request.membership).order_by("-created_at", "-id")
        return paged(request, self, qs, RoundSerializer)


class RoundDetailApi(ApiOperation):
    @extend_schema(
        responses=RoundSerializer,
        summary="A round with its last assignment run (method, seed, cap, pool, summary)",
        operation_id="review_round_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        return respond(RoundSerializer, access.access_round(request.membership, pk))


class RoundAssignApi(ApiOperation):
    @extend_schema(
        request=AssignInputSerializer,
        responses={200: RoundSerializer, **ERRORS},
        summary="Run the assignment: the exact optimum or a replayable random draw",
        operation_id="review_round_assign",
        tags=TAGS,
    )
    def post(self, request, pk):
        review_round = access.access_round(request.membership, pk)
        values = parse(AssignInputSerializer, request.data)
        review_round = services.run_assignment(actor(request), review_round, **values)
        return respond(RoundSerializer, review_round)


class RoundAssignmentsApi(ApiOperation):
    @extend_schema(
        parameters=[PageQuery],
        responses={200: paginated(OfficeAssignmentSerializer), **ERRORS},
        summary="The round's assignments (the office)",
        operation_id="review_round_assignments",
        tags=TAGS,
    )
    def get(self, request, pk):
        review_round = access.access_round(request.membership, pk)
        parse(PageQuery, request.query_params)
        return paged(
            request, self, access.office_assignments(review_round), OfficeAssignmentSerializer
        )


class RoundExclusionsApi(ApiOperation):
    @extend_schema(
        parameters=[PageQuery],
        responses={200: paginated(ExclusionSerializer), **ERRORS},
        summary="Every pair the last run excluded by 回避, with the reason",
        operation_id="review_round_exclusions",
        tags=TAGS,
    )
    def get(self, request, pk):
        review_round = access.access_round(request.membership, pk)
        parse(PageQuery, request.query_params)
        qs = (
            Exclusion.objects.filter(round=review_round)
            .select_related("expert")
            .order_by("application_id", "expert_id")
        )
        return paged(request, self, qs, ExclusionSerializer)


class RoundRankingsApi(ApiOperation):
    @extend_schema(
        responses={200: RankingSerializer, **ERRORS},
        summary="The latest ranking of the round",
        operation_id="review_round_ranking",
        tags=TAGS,
    )
    def get(self, request, pk):
        review_round = access.access_round(request.membership, pk)
        ranking = Ranking.objects.filter(round=review_round).order_by("-created_at", "-id").first()
        if ranking is None:
            raise Http404
        return respond(RankingSerializer, ranking)

    @extend_schema(
        request=RankingInputSerializer,
        responses={201: RankingSerializer, **ERRORS},
        summary="Aggregate the submitted reviews, flag, rank and propose",
        operation_id="review_round_rank",
        tags=TAGS,
    )
    def post(self, request, pk):
        review_round = access.access_round(request.membership, pk)
        values = parse(RankingInputSerializer, request.data)
        ranking = services.rank_round(actor(request), review_round, **values)
        return respond(RankingSerializer, ranking, status_code=status.HTTP_201_CREATED)


class RankingProposeApi(ApiOperation):
    @extend_schema(
        request=None,
        responses={200: RankingSerializer, **ERRORS},
        summary="Hand the ranking's proposed list to 公示",
        operation_id="review_ranking_propose",
        tags=TAGS,
    )
    def post(self, request, pk):
        ranking = Ranking.objects.select_related("round__call").filter(pk=pk).first()
        if ranking is None:
            raise Http404
        access.access_round(request.membership, ranking.round_id)
        return respond(RankingSerializer, services.propose_ranking(actor(request), ranking))


class MyAssignmentsApi(ApiOperation):
    @extend_schema(
        parameters=[PageQuery],
        responses={200: paginated(MyAssignmentSerializer), **ERRORS},
        summary="The calling expert's assignments (blind to the applicant where the call says so)",
        operation_id="review_my_assignments",
        tags=TAGS,
    )
    def get(self, request):
        if access.own_expert(request.membership) is None:
            raise Http404
        parse(PageQuery, request.query_params)
        qs = (
            access.assignments_for_expert(request.membership)
            .select_related("application__applicant")
            .order_by("round__deadline", "id")
        )
        return paged(request, self, qs, MyAssignmentSerializer)


class MyReviewApi(ApiOperation):
    @extend_schema(
        responses=ReviewSerializer,
        summary="The calling expert's review of an assignment",
        operation_id="review_my_review_retrieve",
        tags=TAGS,
    )
    def get(self, request, pk):
        assignment = access.access_assignment(request.membership, pk)
        review = Review.objects.filter(assignment=assignment).first()
        if review is None:
            raise Http404
        return respond(ReviewSerializer, review)

    @extend_schema(
        request=ExpertReviewInputSerializer,
        responses={200: ReviewSerializer, **ERRORS},
        summary="Save a draft or submit the review (every criterion; required comments)",
        operation_id="review_my_review_save",
        tags=TAGS,
    )
    def put(self, request, pk):
        assignment = access.access_assignment(request.membership, pk)
        values = parse(ExpertReviewInputSerializer, request.data)
        review = services.save_review(
            actor(request),
            assignment,
            scores=values.get("scores") or {},
            comments=values.get("comments") or {},
            comment=values.get("comment") or "",
            submit=values.get("submit", False),
        )
        return respond(ReviewSerializer, review)


# --- the expert's availability per round and its bids (the pages' services and rules) ---------


def _own_expert(request):
    expert = access.own_expert(request.membership)
    if expert is None:
        raise Http404
    return expert


def _availability_row(review_round, declared) -> dict:
    return {
        "round": review_round,
        "declared": declared is not None,
        "available": declared.available if declared else True,
        "max_load": declared.max_load if declared else None,
    }


class MyAvailabilityListApi(ApiOperation):
    @extend_schema(
        parameters=[PageQuery],
        responses={200: paginated(MyAvailabilitySerializer), **ERRORS},
        summary="The calling expert's availability in each round still being prepared",
        operation_id="review_my_availability_list",
        tags=TAGS,
    )
    def get(self, request):
        expert = _own_expert(request)
        parse(PageQuery, request.query_params)
        paginator = StandardPagination()
        rounds = paginator.paginate_queryset(
            selectors.declarable_rounds().order_by("deadline", "id"), request, view=self
        )
        rows = [
            _availability_row(row["round"], row["declared"])
            for row in selectors.my_round_availability(expert, list(rounds))
        ]
        return paginator.get_paginated_response(MyAvailabilitySerializer(rows, many=True).data)


class MyAvailabilityApi(ApiOperation):
    @extend_schema(
        request=AvailabilityInputSerializer,
        responses={200: MyAvailabilitySerializer, **ERRORS},
        summary="Declare the calling expert available or not in a round, and its most "
        "applications there (until the round is handed to the experts)",
        operation_id="review_my_availability_set",
        tags=TAGS,
    )
    def put(self, request, pk):
        expert = _own_expert(request)
        review_round = selectors.declarable_rounds().filter(pk=pk).first()
        if review_round is None:
            raise Http404
        values = parse(AvailabilityInputSerializer, request.data)
        row = services.set_availability(
            actor(request),
            review_round,
            expert,
            available=values["available"],
            max_load=values.get("max_load"),
        )
        return respond(MyAvailabilitySerializer, _availability_row(review_round, row))


def _bidding_round(request, pk):
    expert = _own_expert(request)
    review_round = selectors.declarable_rounds().filter(pk=pk, call__allow_bidding=True).first()
    if review_round is None:
        raise Http404
    return expert, review_round


class MyBidListApi(ApiOperation):
    @extend_schema(
        parameters=[PageQuery],
        responses={200: paginated(MyBidSerializer), **ERRORS},
        summary="The applications of a round the calling expert may bid on, with its bids",
        operation_id="review_my_bids_list",
        tags=TAGS,
    )
    def get(self, request, pk):
        expert, review_round = _bidding_round(request, pk)
        parse(PageQuery, request.query_params)
        applications = services.biddable_applications(review_round, expert)
        bids = dict(
            Bid.objects.filter(round=review_round, expert=expert).values_list(
                "application_id", "interest"
            )
        )
        return paged(
            request,
            self,
            applications,
            MyBidSerializer,
            blind=review_round.call.blind_review,
            bids=bids,
        )


class MyBidApi(ApiOperation):
    @extend_schema(
        request=BidInputSerializer,
        responses={200: MyBidSerializer, **ERRORS},
        summary="Bid on one application of the round (replaces the calling expert's earlier bid)",
        operation_id="review_my_bid_set",
        tags=TAGS,
    )
    def put(self, request, pk, application):
        expert, review_round = _bidding_round(request, pk)
        target = next(
            (
                a
                for a in services.biddable_applications(review_round, expert)
                if a.pk == application
            ),
            None,
        )
        if target is None:
            raise Http404
        values = parse(BidInputSerializer, request.data)
        bid = services.place_bid(actor(request), review_round, target, interest=values["interest"])
        return respond(
            MyBidSerializer,
            target,
            blind=review_round.call.blind_review,
            bids={target.pk: bid.interest},
        )
